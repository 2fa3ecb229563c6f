package dev.edgekit.protocol.message;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/**
 * The end of a session on the retained {@code state} topic: {@code "status": "offline"} (graceful stop, or the Last
 * Will the broker publishes when the connection dies) or {@code "lost"} (declared by a failure detector).
 */
public record Offline(String id, Status status, long birthSeq, Reason reason) implements StateMessage {
    public Offline {
        Fields.requireId(id);
        Objects.requireNonNull(status, "status");
        Fields.requireNonNegative(birthSeq, "birthSeq");
        Objects.requireNonNull(reason, "reason");
    }

    public static Offline shutdown(String id, long birthSeq) {
        return new Offline(id, Status.OFFLINE, birthSeq, Reason.SHUTDOWN);
    }

    /** The Last Will registered at connect; the broker publishes it when the session dies uncleanly. */
    public static Offline will(String id, long birthSeq) {
        return new Offline(id, Status.OFFLINE, birthSeq, Reason.CONNECTION_LOST);
    }

    public enum Status {
        OFFLINE, LOST;

        @JsonValue
        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Reason {
        SHUTDOWN, CONNECTION_LOST, HEARTBEAT_TIMEOUT;

        @JsonValue
        String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
