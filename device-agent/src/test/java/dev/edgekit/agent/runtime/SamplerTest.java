package dev.edgekit.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.hardware.board.Boards;
import dev.edgekit.hardware.board.Fault;
import dev.edgekit.hardware.board.SimulatedBoard;
import dev.edgekit.hardware.board.SimulationSettings;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.Ds18b20Spec;
import dev.edgekit.testkit.FakeClock;
import dev.edgekit.testkit.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final BoardSpec SPEC = BoardSpec.of(Bme280Spec.onBus1("env"),
            new Ds18b20Spec("probe", "28-0316a2795aff"));

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeClock clock = scheduler.clock();
    private final SimulatedBoard board = Boards.openSimulated(SPEC, clock, scheduler,
            SimulationSettings.seeded(7).withConstantSignals());
    private final RecordingSink sink = new RecordingSink();
    private final AtomicInteger afterSample = new AtomicInteger();

    @AfterEach
    void closeBoard() {
        board.close();
    }

    private Sampler sampler(HardwareConfig config) {
        Sampler sampler = new Sampler(board, config, scheduler, clock, sink, afterSample::incrementAndGet);
        sampler.start();
        return sampler;
    }

    @Test
    void publishesEveryChannelWithItsUnitOncePerIntervalStampedWithTheAgentClock() {
        Instant start = clock.instant();
        sampler(HardwareConfig.of(SPEC));

        scheduler.advance(Duration.ofSeconds(3));

        assertThat(sink.of("env-temperature")).hasSize(3).allSatisfy(s -> {
            assertThat(s.unit()).isEqualTo("°C");
            assertThat(s.value()).isCloseTo(21.0, org.assertj.core.data.Offset.offset(0.01));
        });
        assertThat(sink.of("env-humidity")).hasSize(3).allSatisfy(s -> assertThat(s.unit()).isEqualTo("%RH"));
        assertThat(sink.of("env-pressure")).hasSize(3).allSatisfy(s -> assertThat(s.unit()).isEqualTo("hPa"));
        assertThat(sink.of("probe-temperature")).hasSize(3).allSatisfy(s -> assertThat(s.unit()).isEqualTo("°C"));
        assertThat(sink.of("env-temperature")).extracting(RecordingSink.Sample::time)
                .containsExactly(start.plusSeconds(1), start.plusSeconds(2), start.plusSeconds(3));
    }

    @Test
    void aChannelTurnedOffIsNotPublishedAndASensorWithEveryChannelOffIsNotRead() {
        Sampler sampler = sampler(HardwareConfig.of(SPEC));
        sampler.enable("env-pressure", false);
        sampler.enable("probe-temperature", false);

        scheduler.advance(Duration.ofSeconds(2));

        assertThat(sink.of("env-temperature")).hasSize(2);
        assertThat(sink.of("env-pressure")).isEmpty();
        assertThat(sink.of("probe-temperature")).isEmpty();
        assertThat(afterSample).hasValue(2); // env twice; the probe never touched its bus
        assertThat(sampler.enabled("env-pressure")).isFalse();

        sampler.enable("env-pressure", true);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(sink.of("env-pressure")).hasSize(1);
    }

    @Test
    void anEntryWithItsOwnIntervalIsSampledAtThatRateAndTheOthersAtTheSectionRate() {
        sampler(new HardwareConfig(SPEC, Duration.ofSeconds(5), Map.of("env", Duration.ofMillis(500)),
                HardwareConfig.Simulation.DEFAULT));

        scheduler.advance(Duration.ofSeconds(10));

        assertThat(sink.of("env-temperature")).hasSize(20);
        assertThat(sink.of("probe-temperature")).hasSize(2);
    }

    @Test
    void aFailingSensorIsCountedAndRetriedWhileTheOthersKeepGoing() {
        Sampler sampler = sampler(HardwareConfig.of(SPEC));
        board.bme280("env").injectFault(new Fault.I2cNack());

        scheduler.advance(Duration.ofSeconds(3));

        assertThat(sink.of("env-temperature")).isEmpty();
        assertThat(sink.of("probe-temperature")).hasSize(3);
        assertThat(sampler.failures()).isEqualTo(3);
        assertThat(afterSample).hasValue(6);

        board.bme280("env").clearFaults();
        scheduler.advance(Duration.ofSeconds(2));

        assertThat(sink.of("env-temperature")).hasSize(2);
        assertThat(sampler.readings()).isEqualTo(3 + 2 + 2 * 3);
    }

    @Test
    void closingStopsSampling() {
        Sampler sampler = sampler(HardwareConfig.of(SPEC));
        scheduler.advance(Duration.ofSeconds(1));
        sampler.close();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(sink.of("env-temperature")).hasSize(1);
        assertThat(scheduler.pendingCount()).isZero();
    }
}
