package dev.edgekit.hardware.board;

import com.pi4j.Pi4J;
import com.pi4j.boardinfo.definition.BoardModel;
import com.pi4j.boardinfo.util.BoardInfoHelper;
import com.pi4j.context.Context;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import com.pi4j.plugin.linuxfs.provider.pwm.LinuxFsPwmProvider;
import com.pi4j.plugin.raspberrypi.platform.RaspberryPiPlatform;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The only class that touches Pi4J's real plugins. It is loaded only when a real board is opened, after the host has
 * been found to be a Raspberry Pi, so a simulated board never loads gpiod, linuxfs or raspberrypi classes (a test
 * checks this). The context is built explicitly, one provider per I/O type: gpiod for digital I/O (works on the Pi 5
 * and needs no root), linuxfs for I2C ({@code /dev/i2c-N}) and PWM ({@code /sys/class/pwm}).
 */
final class RealPi4j {
    private RealPi4j() {
    }

    static Pi4jEnvironment environment(HostProbe probe, InstantSource clock, ScheduledExecutorService scheduler) {
        boolean rp1 = BoardInfoHelper.usesRP1();
        Context context = Pi4J.newContextBuilder()
                .noAutoDetect()
                .add(new RaspberryPiPlatform())
                .add(GpioDDigitalInputProvider.newInstance(),
                        GpioDDigitalOutputProvider.newInstance(),
                        LinuxFsI2CProvider.newInstance(),
                        LinuxFsPwmProvider.newInstance(BoardInfoHelper.getPwmChipAddress()))
                .build();
        return new Pi4jEnvironment(context,
                GpioDDigitalInputProvider.ID, GpioDDigitalOutputProvider.ID, LinuxFsPwmProvider.ID, LinuxFsI2CProvider.ID,
                rp1 ? PinMap.rp1() : PinMap.classic(),
                probe::hasI2cBus,
                "enable I2C with raspi-config (Interface Options > I2C) or dtparam=i2c_arm=on in /boot/firmware/config.txt",
                Optional.<Path>empty(), (input, spec) -> { }, clock, scheduler);
    }

    /** Pi4J's name for the board model, when it recognises it. */
    static Optional<String> boardModel(Context context) {
        try {
            BoardModel model = context.boardInfo().getBoardModel();
            return model == null || model == BoardModel.UNKNOWN ? Optional.empty() : Optional.of(model.getLabel());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
