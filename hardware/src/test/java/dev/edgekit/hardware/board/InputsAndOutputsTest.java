package dev.edgekit.hardware.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.hardware.ActuatorCommand;
import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.hardware.CommandRejectedException;
import dev.edgekit.hardware.CommandRejectedException.Reason;
import dev.edgekit.hardware.HardwareEvent;
import dev.edgekit.hardware.spec.ActiveLevel;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DigitalInputSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.Frequency;
import dev.edgekit.hardware.spec.OutputKind;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import dev.edgekit.testkit.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InputsAndOutputsTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final Instant start = scheduler.clock().instant();
    private final SimulatedBoard board = Boards.openSimulated(BoardSpec.of(
                    DigitalInputSpec.button("button", 5),
                    DigitalInputSpec.motion("pir", 6),
                    DigitalOutputSpec.led("led", 17),
                    new DigitalOutputSpec("relay", OutputKind.RELAY, 27, ActiveLevel.LOW),
                    new PwmOutputSpec("fan", 18, Frequency.ofKilohertz(25))),
            scheduler.clock(), scheduler, SimulationSettings.seeded(3));
    private final List<HardwareEvent> events = new ArrayList<>();

    {
        board.addListener(events::add);
    }

    @AfterEach
    void close() {
        board.close();
    }

    @Test
    void aBouncingButtonPressRaisesOnePressedEventOnceTheLevelHasHeldForTheDebounceTime() {
        InputHandle button = board.input("button");

        button.setActive(true);
        scheduler.advance(Duration.ofMillis(3));
        button.setActive(false);
        scheduler.advance(Duration.ofMillis(2));
        button.setActive(true);
        scheduler.advance(Duration.ofMillis(19));
        assertThat(events).isEmpty();

        scheduler.advance(Duration.ofMillis(1));

        assertThat(events).containsExactly(new HardwareEvent.ButtonPressed("button", start.plusMillis(25)));
        assertThat(button.isActive()).isTrue();
    }

    @Test
    void aGlitchShorterThanTheDebounceTimeRaisesNothing() {
        InputHandle button = board.input("button");

        button.setActive(true);
        scheduler.advance(Duration.ofMillis(5));
        button.setActive(false);
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(events).isEmpty();
        assertThat(button.isActive()).isFalse();
    }

    @Test
    void pressAndReleaseRaisePressedThenReleased() {
        InputHandle button = board.input("button");

        button.setActive(true);
        scheduler.advance(Duration.ofMillis(100));
        button.setActive(false);
        scheduler.advance(Duration.ofMillis(100));

        assertThat(events).containsExactly(
                new HardwareEvent.ButtonPressed("button", start.plusMillis(20)),
                new HardwareEvent.ButtonReleased("button", start.plusMillis(120)));
    }

    @Test
    void aPirWithoutDebounceRaisesMotionEventsOnTheEdge() {
        InputHandle pir = board.input("pir");

        pir.setActive(true);
        scheduler.clock().advance(Duration.ofSeconds(30));
        pir.setActive(false);

        assertThat(events).containsExactly(
                new HardwareEvent.MotionDetected("pir", start),
                new HardwareEvent.MotionCleared("pir", start.plusSeconds(30)));
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    void aClosedBoardRaisesNoMoreEventsAndLeavesNoTimersBehind() {
        board.input("button").setActive(true);

        board.close();
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(events).isEmpty();
    }

    @Test
    void switchingTheLedOnDrivesItsPinHigh() {
        assertThat(board.output("led").isHigh()).isFalse();

        ActuatorState state = board.command("led", new ActuatorCommand.SetOn(true));

        assertThat(state).isEqualTo(new ActuatorState("led", "led", true, 100));
        assertThat(board.output("led").isHigh()).isTrue();
    }

    @Test
    void anActiveLowRelayIsOffWithItsPinHighAndOnWithItLow() {
        assertThat(board.output("relay").isHigh()).isTrue();

        board.command("relay", new ActuatorCommand.SetOn(true));

        assertThat(board.output("relay").isHigh()).isFalse();
        assertThat(board.actuator("relay").orElseThrow().state().on()).isTrue();
    }

    @Test
    void settingTheFansDutyCycleIsReflectedInThePwm() {
        assertThat(board.pwm("fan").isOn()).isFalse();

        board.command("fan", new ActuatorCommand.SetDutyCycle(40));

        PwmHandle fan = board.pwm("fan");
        assertThat(fan.isOn()).isTrue();
        assertThat(fan.dutyCyclePercent()).isEqualTo(40);
        assertThat(fan.frequencyHertz()).isEqualTo(25_000);

        board.command("fan", new ActuatorCommand.SetOn(false));
        assertThat(fan.isOn()).isFalse();
    }

    @Test
    void invalidCommandsAreRejectedWithATypedReason() {
        assertThatThrownBy(() -> board.command("fan", new ActuatorCommand.SetDutyCycle(101)))
                .isInstanceOfSatisfying(CommandRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OUT_OF_RANGE));
        assertThatThrownBy(() -> board.command("fan", new ActuatorCommand.SetDutyCycle(-1)))
                .isInstanceOfSatisfying(CommandRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OUT_OF_RANGE));
        assertThatThrownBy(() -> board.command("led", new ActuatorCommand.SetDutyCycle(50)))
                .isInstanceOfSatisfying(CommandRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_SUPPORTED));
        assertThatThrownBy(() -> board.command("heater", new ActuatorCommand.SetOn(true)))
                .isInstanceOfSatisfying(CommandRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_ACTUATOR))
                .hasMessageContaining("[led, relay, fan]");
        assertThat(board.pwm("fan").isOn()).isFalse();
    }

    @Test
    void closingTheBoardSwitchesOutputsOff() {
        board.command("led", new ActuatorCommand.SetOn(true));
        board.command("fan", new ActuatorCommand.SetDutyCycle(70));
        OutputHandle led = board.output("led");
        PwmHandle fan = board.pwm("fan");

        board.close();

        assertThat(led.isHigh()).isFalse();
        assertThat(fan.isOn()).isFalse();
    }

    @Test
    void handlesForDevicesThatAreNotThereNameTheOnesThatAre() {
        assertThatThrownBy(() -> board.input("door")).hasMessageContaining("'door'").hasMessageContaining("[button, pir]");
        assertThatThrownBy(() -> board.bme280("env")).hasMessageContaining("no simulated bme280 'env'");
    }
}
