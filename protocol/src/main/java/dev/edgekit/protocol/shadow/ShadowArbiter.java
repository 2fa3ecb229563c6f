package dev.edgekit.protocol.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * The keeper's version check for one device: the single writer of desired, so updates are linearisable (each
 * accepted update is a compare-and-set on the version). Updates come from one thread; {@link #current()} may be read from any.
 */
public final class ShadowArbiter {
    private volatile Desired current;

    /** Starts from the retained desired document (or an empty one at version 0 for a new device). */
    public ShadowArbiter(Desired current) {
        this.current = current;
    }

    public static ShadowArbiter empty(String device) {
        return new ShadowArbiter(new Desired(device, 0, "", "", JsonNodeFactory.instance.objectNode()));
    }

    public Desired current() {
        return current;
    }

    /**
     * Adopts a desired document seen on the broker (the keeper's own retained copy after a restart) if it is newer
     * than what this arbiter holds; older or equal versions are ignored, so duplicates and reordering are harmless.
     */
    public void observe(Desired retained) {
        if (retained.version() > current.version()) {
            current = retained;
        }
    }

    /** Applies {@code request} if it names the current version; the new document is then {@link #current()}. */
    public UpdateResult update(UpdateRequest request, String writer, String hlc) {
        try {
            ShadowLimits.requireValidVersion("expectedVersion", request.expectedVersion());
            ShadowLimits.requireValidState(request.state());
        } catch (ShadowException e) {
            return new UpdateResult.Invalid(e.getMessage());
        }
        if (request.expectedVersion() != current.version()) {
            return new UpdateResult.VersionConflict(request.expectedVersion(), current.version());
        }
        if (current.version() >= ShadowLimits.MAX_VERSION) {
            return new UpdateResult.Invalid("version: the shadow reached its last version");
        }
        ObjectNode merged = current.state().deepCopy();
        merge(merged, request.state());
        try {
            ShadowLimits.requireValidState(merged);
        } catch (ShadowException e) {
            return new UpdateResult.Invalid("merged " + e.getMessage());
        }
        // 1 KB headroom for the envelope (device, version, hlc, writer) around the state.
        if (merged.toString().getBytes(StandardCharsets.UTF_8).length > ShadowLimits.MAX_DOCUMENT_BYTES - 1024) {
            return new UpdateResult.Invalid("state: merged document larger than "
                    + (ShadowLimits.MAX_DOCUMENT_BYTES - 1024) + " bytes");
        }
        current = new Desired(current.device(), current.version() + 1, hlc, writer, merged);
        return new UpdateResult.Accepted(current.version());
    }

    /** JSON merge patch (RFC 7396) without arrays: objects merge by key, {@code null} deletes. */
    static void merge(ObjectNode target, JsonNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && target.get(field.getKey()) instanceof ObjectNode child) {
                merge(child, value);
            } else if (value.isObject()) {
                ObjectNode child = target.putObject(field.getKey());
                merge(child, value);
            } else {
                target.set(field.getKey(), value);
            }
        }
    }
}
