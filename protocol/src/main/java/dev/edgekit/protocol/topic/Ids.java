package dev.edgekit.protocol.topic;

/**
 * Device and site identifiers: lower-case letters, digits and '-', starting with a letter or digit, at most 63
 * characters (a DNS label, so an id can also be an mDNS host name). Ids come from configuration or the board's serial,
 * never from payloads.
 */
public final class Ids {
    private Ids() {
    }

    /** {@code [a-z0-9][a-z0-9-]{0,62}}, checked by hand: every message's topic is checked, a regex allocated twice. */
    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > 63 || id.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code id} when valid; otherwise throws with a message naming {@code what} ("device id", "site"). */
    public static String require(String id, String what) {
        if (!isValid(id)) {
            throw new IllegalArgumentException(what + " '" + id + "' is not a valid id: use 1-63 characters of"
                    + " a-z, 0-9 and '-', starting with a letter or digit");
        }
        return id;
    }

    /** Turns free text (a board serial, a host name) into a valid id, or throws if nothing usable is left. */
    public static String sanitize(String raw) {
        String id = raw == null ? "" : raw.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("^-+", "").replaceAll("-+$", "");
        if (id.length() > 63) {
            id = id.substring(0, 63).replaceAll("-+$", "");
        }
        return require(id, "derived id from '" + raw + "'");
    }
}
