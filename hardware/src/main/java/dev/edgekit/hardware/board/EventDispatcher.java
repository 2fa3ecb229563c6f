package dev.edgekit.hardware.board;

import dev.edgekit.hardware.HardwareEvent;
import dev.edgekit.hardware.HardwareEventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans hardware events out to the board's listeners; a throwing listener is logged and skipped. */
final class EventDispatcher implements Consumer<HardwareEvent> {
    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);
    private final List<HardwareEventListener> listeners = new CopyOnWriteArrayList<>();

    AutoCloseable add(HardwareEventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void accept(HardwareEvent event) {
        log.debug("hardware event {}", event);
        for (HardwareEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("hardware event listener {} failed on {}", listener, event, e);
            }
        }
    }
}
