package dev.edgekit.time;

import dev.edgekit.protocol.topic.Ids;
import dev.edgekit.protocol.topic.Topics;
import java.util.Set;

/**
 * Topic names of the {@code $time} tree, all under {@code edgekit/v1/{site}/$time/} ({@link Topics#time}):
 * <pre>
 * {server}/request            client → server requests (QoS 0, MQTT 5 request/response)
 * {server}/announce           retained: id, stratum, reference chain
 * reply/{device}              replies to a device (its response topic)
 * berkeley/members/{member}   retained: membership of the Berkeley group
 * berkeley/{member}/poll      master → member clock polls (request/response)
 * berkeley/{member}/adjust    master → member adjustments (QoS 0)
 * </pre>
 * Server ids {@code reply} and {@code berkeley}, and the member id {@code members}, are reserved (they would
 * collide with the trees above).
 */
public final class TimeTopics {
    static final Set<String> RESERVED = Set.of("reply", "berkeley");

    private TimeTopics() {}

    static String requireServerId(String id) {
        Ids.require(id, "time server id");
        if (RESERVED.contains(id)) throw new IllegalArgumentException("'" + id + "' is reserved in the $time tree");
        return id;
    }

    static String requireMemberId(String id) {
        Ids.require(id, "Berkeley member id");
        if (id.equals("members")) throw new IllegalArgumentException("'members' is reserved in the $time tree");
        return id;
    }

    static String request(String site, String server) {
        return Topics.time(site, requireServerId(server) + "/request");
    }

    static String announce(String site, String server) {
        return Topics.time(site, requireServerId(server) + "/announce");
    }

    static String announcements(String site) {
        return Topics.time(site, "+/announce");
    }

    static String reply(String site, String device) {
        return Topics.time(site, "reply/" + Ids.require(device, "device"));
    }

    static String member(String site, String member) {
        return Topics.time(site, "berkeley/members/" + requireMemberId(member));
    }

    public static String members(String site) {
        return Topics.time(site, "berkeley/members/+");
    }

    static String poll(String site, String member) {
        return Topics.time(site, "berkeley/" + requireMemberId(member) + "/poll");
    }

    static String adjust(String site, String member) {
        return Topics.time(site, "berkeley/" + requireMemberId(member) + "/adjust");
    }
}
