package dev.edgekit.protocol.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The retained {@code …/shadow/desired} document, written only by the keeper. {@code version} grows by one per
 * accepted update (0 = nothing desired yet); {@code hlc} is the keeper's hybrid logical clock at acceptance and
 * {@code writer} the operator client that asked for it.
 */
public record Desired(String device, long version, String hlc, String writer, ObjectNode state) {
}
