package dev.edgekit.tools;

import picocli.CommandLine;

/**
 * One host's part of a fleet that several hosts simulate against one broker ({@code simulate --shard K/N}): shard K of
 * N runs the K-th contiguous slice of the device numbers 1..devices, so the shards' device ids (and with them the
 * agents' client ids and state folders) are disjoint, and its own observer and time server carry the shard in their
 * client ids and server id.
 *
 * @param index 1-based
 * @param count how many shards the fleet is split into
 */
record Shard(int index, int count) {
    static final Shard WHOLE = new Shard(1, 1);
    static final int MAX_SHARDS = 1000;

    Shard {
        if (count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
            throw new IllegalArgumentException("--shard must be K/N with 1 <= K <= N <= " + MAX_SHARDS + ", not "
                    + index + "/" + count);
        }
    }

    /** The first device number (0-based, inclusive) of this shard in a fleet of {@code devices}. */
    int from(int devices) {
        return (int) ((long) (index - 1) * devices / count);
    }

    /** The end (0-based, exclusive). */
    int to(int devices) {
        return (int) ((long) index * devices / count);
    }

    /** "" for a whole fleet, else "-sK" for names that must differ between the shards. */
    String suffix() {
        return count == 1 ? "" : "-s" + index;
    }

    /** picocli: "K/N". */
    static final class Converter implements CommandLine.ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            String[] parts = value.split("/", -1);
            if (parts.length != 2 || !parts[0].matches("\\d{1,4}") || !parts[1].matches("\\d{1,4}")) {
                throw new CommandLine.TypeConversionException("--shard must look like 2/4 (shard K of N), not '"
                        + value + "'");
            }
            try {
                return new Shard(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
