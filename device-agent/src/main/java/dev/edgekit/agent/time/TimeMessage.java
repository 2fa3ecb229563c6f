package dev.edgekit.agent.time;

import dev.edgekit.protocol.topic.Ids;
import java.util.List;
import java.util.Objects;

/**
 * The {@code $time} wire format: JSON bodies (through {@code Codec#encodeRecord}/{@code decode}) of the messages
 * under {@code edgekit/v1/{site}/$time/…} (see {@link TimeTopics}). Timestamps are epoch nanoseconds as JSON
 * integers (exact in Jackson's {@code long}); ids are validated on decode, and a body that fails validation is
 * counted as malformed by whoever receives it. Exchanges travel at QoS 0 as MQTT 5 request/response (response
 * topic + correlation data, handled by the session); the token in the body is the {@link TimeSync} token, echoed.
 */
public sealed interface TimeMessage {

    /** Client → server, on {@code …/$time/{server}/request}. {@code originNanos} is t1 (informative: the client keeps its own). */
    record Request(String client, long token, long originNanos) implements TimeMessage {
        public Request {
            Ids.require(client, "client");
        }
    }

    /**
     * Server → client, on the request's response topic {@code …/$time/reply/{client}}: the four-timestamp reply
     * (origin echoed, receive t2, transmit t3) plus what the server says about itself (its {@link ServerInfo}).
     */
    record Reply(String server, long token, long originNanos, long receiveNanos, long transmitNanos, int stratum,
                 long rootDelayNanos, long rootDispersionNanos, long precisionNanos, List<String> chain)
            implements TimeMessage {
        public Reply {
            Ids.require(server, "server");
            chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
        }

        static Reply of(long token, long originNanos, long receiveNanos, long transmitNanos, ServerInfo info) {
            return new Reply(info.serverId(), token, originNanos, receiveNanos, transmitNanos, info.stratum(),
                    info.rootDelayNanos(), info.rootDispersionNanos(), info.precisionNanos(), info.referenceChain());
        }

        /** @throws IllegalArgumentException on negative root delay, dispersion or precision */
        ServerInfo info() {
            return new ServerInfo(server, stratum, rootDelayNanos, rootDispersionNanos, precisionNanos, chain);
        }
    }

    /**
     * A time server's retained announcement on {@code …/$time/{server}/announce}: who serves, at what stratum, from
     * which reference chain. Cleared (empty retained message) when the server stops cleanly.
     */
    record Announce(String server, int stratum, List<String> chain, long rootDelayNanos, long rootDispersionNanos)
            implements TimeMessage {
        public Announce {
            Ids.require(server, "server");
            chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
        }

        static Announce of(ServerInfo info) {
            return new Announce(info.serverId(), info.stratum(), info.referenceChain(), info.rootDelayNanos(),
                    info.rootDispersionNanos());
        }
    }

    /** Berkeley member's retained presence in the group, on {@code …/$time/berkeley/members/{member}}. */
    record BerkeleyMember(String member) implements TimeMessage {
        public BerkeleyMember {
            Ids.require(member, "member");
        }
    }

    /** Master → member, request on {@code …/$time/berkeley/{member}/poll}. */
    record BerkeleyPoll(String master, long round) implements TimeMessage {
        public BerkeleyPoll {
            Ids.require(master, "master");
        }
    }

    /** Member → master: its disciplined clock when the poll arrived (t2) and when it answered (t3). */
    record BerkeleyReading(String member, long round, long receiveNanos, long transmitNanos) implements TimeMessage {
        public BerkeleyReading {
            Ids.require(member, "member");
        }
    }

    /**
     * Master → member on {@code …/$time/berkeley/{member}/adjust}: add {@code adjustmentNanos} to your clock; the
     * result agrees with the group's fault-tolerant average within {@code uncertaintyNanos}.
     */
    record BerkeleyAdjust(String master, long round, long adjustmentNanos, long uncertaintyNanos,
                          boolean includedInAverage) implements TimeMessage {
        public BerkeleyAdjust {
            Ids.require(master, "master");
            if (uncertaintyNanos < 0) throw new IllegalArgumentException("negative uncertainty");
        }
    }
}
