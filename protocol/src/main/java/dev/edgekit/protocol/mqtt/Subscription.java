package dev.edgekit.protocol.mqtt;

import java.util.concurrent.CompletableFuture;

/** A live subscription: kept across reconnects until cancelled. */
public interface Subscription {
    String filter();

    /** Completes when the broker has granted the subscription (SUBACK), fails if it refused it. */
    CompletableFuture<Void> granted();

    /** Stops delivery to this handler; the broker subscription ends when no handler needs the filter any more. */
    void cancel();
}
