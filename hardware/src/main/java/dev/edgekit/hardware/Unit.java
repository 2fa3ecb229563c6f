package dev.edgekit.hardware;

/** Units of the values a {@link Reading} carries; {@link #symbol()} is what goes on the wire. */
public enum Unit {
    CELSIUS("°C"),
    PERCENT_RELATIVE_HUMIDITY("%RH"),
    HECTOPASCAL("hPa");

    private final String symbol;

    Unit(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
