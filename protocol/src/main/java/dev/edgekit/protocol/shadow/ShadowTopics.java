package dev.edgekit.protocol.shadow;

import dev.edgekit.protocol.topic.Ids;
import dev.edgekit.protocol.topic.Topics;

/**
 * {@code edgekit/v1/{site}/{device}/shadow/{desired|reported|update}}. Desired and reported are retained;
 * update carries MQTT 5 requests (response topic + correlation data) to the keeper.
 */
public final class ShadowTopics {
    public static final String DESIRED = "desired";
    public static final String REPORTED = "reported";
    public static final String UPDATE = "update";

    private ShadowTopics() {
    }

    public static String desired(String site, String device) {
        return base(site, device) + DESIRED;
    }

    public static String reported(String site, String device) {
        return base(site, device) + REPORTED;
    }

    public static String update(String site, String device) {
        return base(site, device) + UPDATE;
    }

    /** The operator {@code writer}'s reply inbox: the keeper answers only there. */
    public static String reply(String site, String writer) {
        return Topics.ROOT + "/" + Ids.require(site, "site") + "/$shadow/reply/" + Ids.require(writer, "writer");
    }

    /** Filter for one document kind of every device of a site, e.g. all desired documents for the keeper. */
    public static String filter(String site, String kind) {
        return Topics.ROOT + "/" + Ids.require(site, "site") + "/+/shadow/" + kind;
    }

    /** The device name of a shadow topic of {@code site}, or {@code null} if the topic is not one. */
    public static String device(String site, String topic) {
        String[] parts = topic.split("/", -1);
        if (parts.length != 6 || !topic.startsWith(Topics.ROOT + "/" + site + "/") || !"shadow".equals(parts[4])) {
            return null;
        }
        return parts[3];
    }

    private static String base(String site, String device) {
        return Topics.ROOT + "/" + Ids.require(site, "site") + "/" + Ids.require(device, "device") + "/shadow/";
    }
}
