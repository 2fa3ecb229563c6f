package dev.edgekit.protocol.clock;

/**
 * A hybrid logical clock timestamp (Kulkarni et al., 2014): {@code wallMillis} is the largest physical time seen
 * (milliseconds since the epoch), {@code logical} orders events within the same millisecond. Ordered by wall time,
 * then logical. Written on the wire as {@code "<wallMillis>.<logical>"}, e.g. {@code "1764102662123.2"}.
 */
public record HlcTimestamp(long wallMillis, int logical) implements Comparable<HlcTimestamp> {
    public static final HlcTimestamp ZERO = new HlcTimestamp(0, 0);

    public HlcTimestamp {
        if (wallMillis < 0 || logical < 0) {
            throw new IllegalArgumentException("HLC parts must be non-negative: " + wallMillis + "." + logical);
        }
    }

    @Override
    public int compareTo(HlcTimestamp other) {
        int byWall = Long.compare(wallMillis, other.wallMillis);
        return byWall != 0 ? byWall : Integer.compare(logical, other.logical);
    }

    public boolean isAfter(HlcTimestamp other) {
        return compareTo(other) > 0;
    }

    /** Parses the wire form; throws {@link IllegalArgumentException} with the offending text. */
    public static HlcTimestamp parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing HLC timestamp");
        }
        int dot = text.indexOf('.');
        try {
            if (dot <= 0 || dot == text.length() - 1) {
                throw new NumberFormatException();
            }
            return new HlcTimestamp(Long.parseLong(text, 0, dot, 10), Integer.parseInt(text, dot + 1, text.length(), 10));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed HLC timestamp '" + text + "': expected <wallMillis>.<logical>");
        }
    }

    @Override
    public String toString() {
        return wallMillis + "." + logical;
    }
}
