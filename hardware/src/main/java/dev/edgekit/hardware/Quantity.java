package dev.edgekit.hardware;

/** What a sensor channel measures, with its unit and the short name used in channel names ({@code env-temperature}). */
public enum Quantity {
    TEMPERATURE("temperature", Unit.CELSIUS),
    HUMIDITY("humidity", Unit.PERCENT_RELATIVE_HUMIDITY),
    PRESSURE("pressure", Unit.HECTOPASCAL);

    private final String shortName;
    private final Unit unit;

    Quantity(String shortName, Unit unit) {
        this.shortName = shortName;
        this.unit = unit;
    }

    public String shortName() {
        return shortName;
    }

    public Unit unit() {
        return unit;
    }
}
