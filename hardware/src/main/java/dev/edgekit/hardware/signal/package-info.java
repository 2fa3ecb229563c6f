/**
 * Signal models for simulated sensors: a {@link dev.edgekit.hardware.signal.Signal} gives a physical value for an
 * instant, and {@link dev.edgekit.hardware.signal.Signals} builds the usual ones — constant, daily cycle, Gaussian
 * noise, random walk — and combines them. Time always comes from the caller (an {@link java.time.InstantSource} in
 * the simulated board) and randomness from a caller-seeded {@link java.util.random.RandomGenerator}, so a seed and a
 * fake clock reproduce a run exactly.
 */
package dev.edgekit.hardware.signal;
