package dev.edgekit.ubiquitous.discovery;

/** What edgekit advertises and looks for with DNS-SD. */
public enum ServiceKind {
    /** An MQTT broker (the common DNS-SD type, so brokers advertised by Avahi are found too). */
    MQTT("_mqtt._tcp.local."),
    /** An edgekit time server. */
    TIME("_edgekit-time._tcp.local.");

    private final String type;

    ServiceKind(String type) {
        this.type = type;
    }

    /** The DNS-SD service type, fully qualified. */
    public String type() {
        return type;
    }
}
