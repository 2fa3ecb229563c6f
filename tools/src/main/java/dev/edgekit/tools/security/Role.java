package dev.edgekit.tools.security;

import java.util.Arrays;
import java.util.Locale;

/** What an identity may do on the site broker (see acl.template and {@link Acl}). */
public enum Role {
    /** Writes only its own tree, reads only its own commands and the time traffic meant for it. */
    DEVICE,
    /** A device that also serves time: writes {@code $time} replies, adjustments, polls, its announcement, elections. */
    TIME_SERVER,
    /** A person or tool: reads everything in the site, writes commands to devices and shadow updates. */
    OPERATOR,
    /** The site's shadow keeper ({@code edgekit shadow serve}): the only writer of desired documents. */
    SHADOW_KEEPER;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Role parse(String label) {
        return Arrays.stream(values()).filter(r -> r.label().equals(label.strip().toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown role '" + label
                        + "' (device, time-server, operator, shadow-keeper)"));
    }
}
