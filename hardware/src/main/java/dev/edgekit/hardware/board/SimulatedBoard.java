package dev.edgekit.hardware.board;

import dev.edgekit.hardware.Board;

/**
 * A board built from Pi4J's mock plugin and edgekit's chip models, chosen explicitly ({@code board: simulated},
 * {@code --simulated}, {@code edgekit simulate}). It runs the same drivers as a real board; the handles set what the
 * simulated world looks like. Each handle method throws {@link IllegalArgumentException} naming the configured
 * devices of that kind when there is no such device (or its chip is absent).
 */
public interface SimulatedBoard extends Board {
    Bme280Handle bme280(String name);

    Ds18b20Handle ds18b20(String name);

    InputHandle input(String name);

    OutputHandle output(String name);

    PwmHandle pwm(String name);
}
