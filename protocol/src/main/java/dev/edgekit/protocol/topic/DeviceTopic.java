package dev.edgekit.protocol.topic;

import java.util.Objects;

/**
 * A parsed device topic: {@code edgekit/v1/{site}/{device}/{kind}[/{name}]}. Build one with {@link Topics}, read one
 * with {@link Topics#parse(String)}.
 *
 * @param name the channel, event or command name for kinds that have one; null otherwise
 */
public record DeviceTopic(String site, String device, TopicKind kind, String name) {
    public DeviceTopic {
        Ids.require(site, "site");
        Ids.require(device, "device id");
        Objects.requireNonNull(kind, "kind");
        if (kind.named()) {
            Topics.requireName(name, kind);
        } else if (name != null) {
            throw new IllegalArgumentException(kind.segment() + " topics have no name level");
        }
    }

    /** The MQTT topic string. */
    public String topic() {
        String base = Topics.ROOT + "/" + site + "/" + device + "/" + kind.segment();
        return name == null ? base : base + "/" + name;
    }

    @Override
    public String toString() {
        return topic();
    }
}
