package dev.edgekit.protocol.message;

/** The retained {@code state} topic: a birth certificate, or the device's end (graceful, Will, or declared lost). */
public sealed interface StateMessage extends Message permits Birth, Offline {
    /** The session this state belongs to; a newer birth outranks any message with a lower number. */
    long birthSeq();
}
