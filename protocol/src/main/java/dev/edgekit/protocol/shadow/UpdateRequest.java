package dev.edgekit.protocol.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An operator's request to the keeper: merge {@code state} into desired (a {@code null} leaf deletes that key),
 * provided the current desired version is still {@code expectedVersion}, the version the operator read.
 */
public record UpdateRequest(long expectedVersion, ObjectNode state) {
}
