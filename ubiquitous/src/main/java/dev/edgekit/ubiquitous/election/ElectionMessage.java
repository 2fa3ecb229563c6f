package dev.edgekit.ubiquitous.election;

import dev.edgekit.protocol.topic.Ids;
import java.util.Locale;

/**
 * The bully algorithm's messages. Every message names its sender; {@code round} is the sender's election round
 * (for logs and tests; the algorithm does not need it for safety).
 */
public sealed interface ElectionMessage permits ElectionMessage.Call, ElectionMessage.Answer,
        ElectionMessage.Coordinator {

    String from();

    long round();

    /** The topic level under {@code $election/}. */
    default String kind() {
        return switch (this) {
            case Call c -> "election";
            case Answer a -> "answer";
            case Coordinator c -> "coordinator";
        };
    }

    /** "I call an election": sent to everyone; members that outrank the sender answer and take over. */
    record Call(String from, long round) implements ElectionMessage {
        public Call {
            Ids.require(from, "from");
        }
    }

    /** "I outrank you and am alive": tells {@code to} to stop and wait for a coordinator. */
    record Answer(String from, String to, long round) implements ElectionMessage {
        public Answer {
            Ids.require(from, "from");
            Ids.require(to, "to");
        }
    }

    /** "I am the leader": sent when elected and then every announce interval while leading. */
    record Coordinator(String from, long round) implements ElectionMessage {
        public Coordinator {
            Ids.require(from, "from");
        }
    }

    static String describe(ElectionMessage m) {
        return m.kind().toUpperCase(Locale.ROOT) + "(" + m.from() + (m instanceof Answer a ? "→" + a.to() : "")
                + ", round " + m.round() + ")";
    }
}
