package dev.edgekit.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.hardware.board.Boards;
import dev.edgekit.hardware.board.Fault;
import dev.edgekit.hardware.board.SimulatedBoard;
import dev.edgekit.hardware.board.SimulationSettings;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DigitalInputSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.Ds18b20Spec;
import dev.edgekit.hardware.spec.Frequency;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.message.Event;
import dev.edgekit.testkit.ManualScheduler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HardwareRuntimeTest {
    private static final BoardSpec SPEC = BoardSpec.of(
            Bme280Spec.onBus1("env"),
            new Ds18b20Spec("probe", "28-0316a2795aff"),
            DigitalInputSpec.button("door", 17),
            DigitalInputSpec.motion("hall", 27),
            DigitalOutputSpec.led("status", 22),
            new PwmOutputSpec("fan", 18, Frequency.ofKilohertz(25)),
            DigitalOutputSpec.relay("pump", 99)); // no GPIO 99: unavailable from the start

    private final ManualScheduler scheduler = new ManualScheduler();
    private final SimulatedBoard board = Boards.openSimulated(SPEC, scheduler.clock(), scheduler,
            SimulationSettings.seeded(3).withConstantSignals());
    private final RecordingSink sink = new RecordingSink();
    private final AtomicInteger republished = new AtomicInteger();
    private final FakeSession session = new FakeSession();
    private final HardwareRuntime runtime = new HardwareRuntime("lab1", "pi-01", board, HardwareConfig.of(SPEC),
            scheduler.clock(), scheduler, sink, republished::incrementAndGet);

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void offersEverySensorChannelWithItsUnitEveryWorkingActuatorAndTheCommands() {
        assertThat(runtime.capabilities()).containsExactly(
                Capability.sensor("env-temperature", "°C"),
                Capability.sensor("env-humidity", "%RH"),
                Capability.sensor("env-pressure", "hPa"),
                Capability.sensor("probe-temperature", "°C"),
                Capability.actuator("status", null),
                Capability.actuator("fan", "%"),
                Capability.command("set"),
                Capability.command("get"),
                Capability.command("ping"),
                Capability.command("identify")); // no sync: no time client here; no restart: nothing to restart it
        assertThat(runtime.boardInfo().model()).contains("simulated");
    }

    @Test
    void aDeviceThatCouldNotBeOpenedIsReportedDegradedNamingItsEntry() {
        assertThat(runtime.degradedForBirth()).singleElement().asString().startsWith("pump (relay) unavailable: ");
    }

    @Test
    void aRemoteSamplingIntervalTakesOverEverySensorsScheduleAndIsReported() {
        runtime.start(session);
        scheduler.advance(Duration.ofSeconds(2)); // 1 s default: 2 samples of each of the 4 channels
        long before = runtime.status().readings();
        assertThat(before).isEqualTo(8);
        assertThat(runtime.samplingInterval(HardwareConfig.of(SPEC))).isEqualTo(Duration.ofSeconds(1));

        runtime.samplingInterval(Duration.ofMillis(250));
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(runtime.status().readings() - before).isEqualTo(16); // 4 samples of 4 channels in one second
        assertThat(runtime.samplingInterval(HardwareConfig.of(SPEC))).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void subscribesToThisDevicesOwnCommandTopicsOnly() {
        runtime.start(session);
        assertThat(session.subscriptions).extracting(FakeSession.Subscribed::filter)
                .containsExactly("edgekit/v1/lab1/pi-01/cmd/+", "edgekit/v1/lab1/pi-01/output/+/set");
    }

    @Test
    void aSensorFaultBecomesOneWarningEventAndOneRepublishedBirthUntilItRecovers() {
        runtime.start(session);
        runtime.degradedForBirth();
        board.bme280("env").injectFault(new Fault.I2cNack());

        scheduler.advance(Duration.ofSeconds(3));

        assertThat(sink.events).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("sensor-fault");
            assertThat(e.severity()).isEqualTo(Event.Severity.WARNING);
            assertThat(e.attributes()).containsEntry("device", "env").containsKey("reason");
        });
        assertThat(republished).as("one new birth per change, not per failed read").hasValue(1);
        assertThat(runtime.degraded()).anySatisfy(d -> assertThat(d).startsWith("env (bme280) failing: "));
        assertThat(sink.of("probe-temperature")).as("the other sensor keeps going").hasSize(3);

        board.bme280("env").clearFaults();
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(sink.events).extracting(RecordingSink.Published::name)
                .containsExactly("sensor-fault", "sensor-recovered");
        assertThat(republished).hasValue(2);
        assertThat(runtime.degraded()).noneMatch(d -> d.startsWith("env"));
        assertThat(runtime.status().sampleFailures()).isEqualTo(3);
    }

    @Test
    void buttonAndMotionChangesBecomeInfoEventsNamingTheirEntry() {
        runtime.start(session);
        board.input("door").setActive(true);
        scheduler.advance(Duration.ofMillis(50)); // past the 20 ms debounce
        board.input("door").setActive(false);
        scheduler.advance(Duration.ofMillis(50));
        board.input("hall").setActive(true);
        scheduler.runReady();

        assertThat(sink.events).extracting(RecordingSink.Published::name)
                .containsExactly("button-pressed", "button-released", "motion-detected");
        assertThat(sink.events).allSatisfy(e -> assertThat(e.severity()).isEqualTo(Event.Severity.INFO));
        assertThat(sink.events.get(0).attributes()).isEqualTo(Map.of("device", "door", "state", "pressed"));
        assertThat(runtime.status().events()).isEqualTo(3);
    }
}
