package dev.edgekit.protocol.topic;

import java.util.Optional;

/**
 * The topic scheme: hierarchical names {@code edgekit/v1/{site}/{device}/…}, plus the site-wide
 * {@code $time} and {@code $election} trees. Every topic edgekit publishes or subscribes to is built here.
 */
public final class Topics {
    /** Root of every edgekit topic; the version level changes only with an incompatible topic scheme. */
    public static final String ROOT = "edgekit/v1";
    /** Filter for everything edgekit publishes. */
    public static final String ALL = ROOT + "/#";

    private Topics() {
    }

    public static DeviceTopic state(String site, String device) {
        return new DeviceTopic(site, device, TopicKind.STATE, null);
    }

    public static DeviceTopic heartbeat(String site, String device) {
        return new DeviceTopic(site, device, TopicKind.HEARTBEAT, null);
    }

    public static DeviceTopic telemetry(String site, String device, String channel) {
        return new DeviceTopic(site, device, TopicKind.TELEMETRY, channel);
    }

    public static DeviceTopic event(String site, String device, String name) {
        return new DeviceTopic(site, device, TopicKind.EVENT, name);
    }

    public static DeviceTopic command(String site, String device, String name) {
        return new DeviceTopic(site, device, TopicKind.COMMAND, name);
    }

    public static DeviceTopic output(String site, String device, String name) {
        return new DeviceTopic(site, device, TopicKind.OUTPUT, name);
    }

    /** Where plain (MQTT 3.1.1) commands for one output go: {@code …/{device}/output/{name}/set}. */
    public static String outputSet(String site, String device, String name) {
        return output(site, device, name).topic() + "/set";
    }

    public static DeviceTopic input(String site, String device, String name) {
        return new DeviceTopic(site, device, TopicKind.INPUT, name);
    }

    /** One device's tree, {@code edgekit/v1/{site}/{device}}: the level its topics and filters start from. */
    public static String device(String site, String device) {
        return ROOT + "/" + Ids.require(site, "site") + "/" + Ids.require(device, "device");
    }

    /** Filter for everything under one device, {@code …/{device}/#} (its retained states, say). */
    public static String deviceTree(String site, String device) {
        return device(site, device) + "/#";
    }

    /** Filter for one kind under one device, e.g. {@code …/{device}/cmd/+} for its commands. */
    public static String filter(String site, String device, TopicKind kind) {
        String base = device(site, device) + "/" + kind.segment();
        return kind.named() ? base + "/+" : base;
    }

    /** Filter for the plain commands of every output of one device, {@code …/{device}/output/+/set}. */
    public static String outputSetFilter(String site, String device) {
        return filter(site, device, TopicKind.OUTPUT) + "/set";
    }

    /** Filter for one kind across a site ({@code +} for every site). */
    public static String filter(String siteOrPlus, TopicKind kind) {
        String base = ROOT + "/" + siteOrPlus + "/+/" + kind.segment();
        return kind.named() ? base + "/+" : base;
    }

    /** Site-wide tree for clock synchronisation: {@code edgekit/v1/{site}/$time/{rest}}. */
    public static String time(String site, String rest) {
        return ROOT + "/" + Ids.require(site, "site") + "/$time/" + rest;
    }

    /** Filter on the {@code $time} tree of one site, or of every site with {@code +}: e.g. {@code +/announce}. */
    public static String timeFilter(String siteOrPlus, String rest) {
        return ROOT + "/" + ("+".equals(siteOrPlus) ? siteOrPlus : Ids.require(siteOrPlus, "site")) + "/$time/" + rest;
    }

    /** Site-wide tree for leader election: {@code edgekit/v1/{site}/$election/{rest}}. */
    public static String election(String site, String rest) {
        return ROOT + "/" + Ids.require(site, "site") + "/$election/" + rest;
    }

    /**
     * Parses a device topic. Returns empty for anything else: foreign topics, the {@code $}-trees, invalid ids,
     * unknown kinds, a missing or extra level. Never throws, so a consumer can count and skip bad topics.
     */
    public static Optional<DeviceTopic> parse(String topic) {
        if (topic == null || !topic.startsWith(ROOT + "/")) {
            return Optional.empty();
        }
        String[] levels = topic.substring(ROOT.length() + 1).split("/", -1);
        if (levels.length < 3 || levels.length > 4) {
            return Optional.empty();
        }
        TopicKind kind = TopicKind.bySegment(levels[2]);
        if (kind == null || !Ids.isValid(levels[0]) || !Ids.isValid(levels[1])) {
            return Optional.empty();
        }
        String name = levels.length == 4 ? levels[3] : null;
        if (kind.named() != (name != null) || (name != null && !isValidName(name))) {
            return Optional.empty();
        }
        return Optional.of(new DeviceTopic(levels[0], levels[1], kind, name));
    }

    /**
     * A channel, event, output or capability name: {@code [A-Za-z0-9_][A-Za-z0-9_.-]{0,63}}, checked by hand (every
     * message's topic and record is checked; a regex allocated a matcher each time).
     */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > 64) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!word && (i == 0 || (c != '.' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    static void requireName(String name, TopicKind kind) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException(kind.segment() + " name '" + name + "' is not valid: use 1-64"
                    + " characters of A-Z, a-z, 0-9, '_', '.' and '-'");
        }
    }

    /**
     * Whether a topic matches an MQTT filter with {@code +} and {@code #} wildcards (MQTT 5 §4.7). Walks both strings
     * level by level without allocating: every message a session receives is matched against its subscriptions.
     */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        int f = 0;
        int t = 0;
        while (true) {
            int fEnd = levelEnd(filter, f);
            if (fEnd - f == 1 && filter.charAt(f) == '#') {
                return true; // the level it stands at and everything below
            }
            int tEnd = levelEnd(topic, t);
            boolean any = fEnd - f == 1 && filter.charAt(f) == '+';
            if (!any && (fEnd - f != tEnd - t || !filter.regionMatches(f, topic, t, fEnd - f))) {
                return false;
            }
            boolean filterEnds = fEnd == filter.length();
            boolean topicEnds = tEnd == topic.length();
            if (filterEnds || topicEnds) {
                // "a/#" also matches "a": the filter may go on by a last "#" level only
                return filterEnds == topicEnds || (topicEnds && levelEnd(filter, fEnd + 1) == fEnd + 2
                        && filter.charAt(fEnd + 1) == '#');
            }
            f = fEnd + 1;
            t = tEnd + 1;
        }
    }

    private static int levelEnd(String text, int from) {
        int slash = text.indexOf('/', from);
        return slash < 0 ? text.length() : slash;
    }
}
