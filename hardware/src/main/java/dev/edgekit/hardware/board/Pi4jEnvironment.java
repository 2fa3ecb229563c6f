package dev.edgekit.hardware.board;

import com.pi4j.context.Context;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.function.IntPredicate;
import com.pi4j.io.gpio.digital.DigitalInput;
import dev.edgekit.hardware.spec.DigitalInputSpec;

/**
 * What the board assembler needs from its surroundings: the Pi4J context and the provider of each I/O type in it,
 * the pin map, how to tell whether an I2C bus exists (and what to say when it does not), where DS18B20 folders live
 * if not where the config says, how to prepare a freshly created input (a simulated pin starts at the level its pull
 * resistor gives it), and time.
 */
record Pi4jEnvironment(
        Context context,
        String digitalInputProvider,
        String digitalOutputProvider,
        String pwmProvider,
        String i2cProvider,
        PinMap pins,
        IntPredicate i2cBusExists,
        String missingBusHint,
        Optional<Path> w1DirectoryOverride,
        BiConsumer<DigitalInput, DigitalInputSpec> inputPreparation,
        InstantSource clock,
        ScheduledExecutorService scheduler) {
}
