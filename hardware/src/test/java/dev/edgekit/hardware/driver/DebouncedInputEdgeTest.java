package dev.edgekit.hardware.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeEvent;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import dev.edgekit.hardware.HardwareEvent;
import dev.edgekit.hardware.spec.ActiveLevel;
import dev.edgekit.hardware.spec.InputKind;
import dev.edgekit.testkit.FakeClock;
import dev.edgekit.testkit.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** Edge handling against a mocked Pi4J {@link DigitalInput}: the listener it registers, the level it reads. */
class DebouncedInputEdgeTest {
    private static final Duration DEBOUNCE = Duration.ofMillis(20);
    private final DigitalInput pin = mock(DigitalInput.class);
    private final FakeClock clock = FakeClock.atEpochOf2026();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<HardwareEvent> events = new ArrayList<>();
    private DebouncedInput button;
    private DigitalStateChangeListener listener;

    @BeforeEach
    void aButtonActiveLowThatIsReleased() {
        when(pin.state()).thenReturn(DigitalState.HIGH);
        button = DebouncedInput.open("button", InputKind.BUTTON, pin, ActiveLevel.LOW, DEBOUNCE, clock, scheduler,
                events::add);
        ArgumentCaptor<DigitalStateChangeListener> captor = ArgumentCaptor.forClass(DigitalStateChangeListener.class);
        verify(pin).addListener(captor.capture());
        listener = captor.getValue();
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private void edge(DigitalState level) {
        when(pin.state()).thenReturn(level);
        listener.onDigitalStateChange(new DigitalStateChangeEvent(pin, level));
    }

    @Test
    void anEdgeThatSettlesRaisesOneEventStampedWhenItSettled() {
        edge(DigitalState.LOW);
        assertThat(events).isEmpty();

        scheduler.advance(DEBOUNCE);

        assertThat(events).containsExactly(new HardwareEvent.ButtonPressed("button", clock.instant()));
        assertThat(button.isActive()).isTrue();
    }

    @Test
    void bouncesShorterThanTheDebounceRaiseNothing() {
        edge(DigitalState.LOW);
        scheduler.advance(Duration.ofMillis(5));
        edge(DigitalState.HIGH);
        scheduler.advance(Duration.ofMillis(5));
        edge(DigitalState.LOW);
        scheduler.advance(Duration.ofMillis(5));
        edge(DigitalState.HIGH);

        scheduler.advance(DEBOUNCE.multipliedBy(2));

        assertThat(events).isEmpty();
        assertThat(button.isActive()).isFalse();
    }

    @Test
    void closingRemovesTheListenerFromThePinAndDropsAPendingEdge() {
        edge(DigitalState.LOW);

        button.close();
        scheduler.advance(DEBOUNCE);

        verify(pin).removeListener(listener);
        assertThat(events).isEmpty();
    }
}
