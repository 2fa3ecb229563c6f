package dev.edgekit.protocol.shadow;

/** The keeper's answer to an {@link UpdateRequest}. */
public sealed interface UpdateResult {
    /** The update is the new desired document, at {@code version}. */
    record Accepted(long version) implements UpdateResult {
    }

    /** Somebody wrote first: the request named a version that is no longer current. Re-read and retry. */
    record VersionConflict(long expectedVersion, long currentVersion) implements UpdateResult {
    }

    /** The request itself breaks a rule (size, depth, key, value type, version range). */
    record Invalid(String reason) implements UpdateResult {
    }
}
