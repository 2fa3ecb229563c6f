package dev.edgekit.time;

import dev.edgekit.protocol.mqtt.WireStamps;
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

    /**
     * Socket-level stamps of one exchange ({@link WireStamps}; see {@link WireTimes}). Every field may be null: a peer
     * without stamping sockets, or an older one, and the exchange falls back to the application's own stamps.
     *
     * @param sent               {@link WireStamps#SENT}: the sender's socket stamps it on the way out
     * @param received           {@link WireStamps#RECEIVED}: the receiver's socket stamps it on the way in
     * @param origin             in a reply: the request's {@code sent} as stamped, echoed (the requester's wire t1)
     * @param receiveLeadNanos   in a reply: how long before the responder's own arrival stamp the request came off its
     *                           socket (its raw clock); the requester subtracts it from t2
     * @param transmitLocalNanos in a reply: the responder's raw clock when it took t3; the requester adds
     *                           {@code sent − transmitLocalNanos} to t3
     */
    record Wire(String sent, String received, String origin, Long receiveLeadNanos, Long transmitLocalNanos) {}

    /**
     * Client → server, on {@code …/$time/{server}/request}. {@code originNanos} is t1 (informative: the client keeps
     * its own).
     */
    record Request(String client, long token, long originNanos, Wire wire) implements TimeMessage {
        public Request {
            Ids.require(client, "client");
        }
    }

    /**
     * Server → client, on the request's response topic {@code …/$time/reply/{client}}: the four-timestamp reply
     * (origin echoed, receive t2, transmit t3) plus what the server says about itself (its {@link ServerInfo}).
     */
    record Reply(String server, long token, long originNanos, long receiveNanos, long transmitNanos, int stratum,
                 long rootDelayNanos, long rootDispersionNanos, long precisionNanos, List<String> chain, Wire wire)
            implements TimeMessage {
        public Reply {
            Ids.require(server, "server");
            chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
        }

        static Reply of(long token, long originNanos, long receiveNanos, long transmitNanos, ServerInfo info,
                        Wire wire) {
            return new Reply(info.serverId(), token, originNanos, receiveNanos, transmitNanos, info.stratum(),
                    info.rootDelayNanos(), info.rootDispersionNanos(), info.precisionNanos(), info.referenceChain(),
                    wire);
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
    record BerkeleyPoll(String master, long round, Wire wire) implements TimeMessage {
        public BerkeleyPoll {
            Ids.require(master, "master");
        }
    }

    /** Member → master: its disciplined clock when the poll arrived (t2) and when it answered (t3). */
    record BerkeleyReading(String member, long round, long receiveNanos, long transmitNanos, Wire wire)
            implements TimeMessage {
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
