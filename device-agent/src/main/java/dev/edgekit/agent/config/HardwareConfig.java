package dev.edgekit.agent.config;

import dev.edgekit.hardware.board.SimulationSettings;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DeviceSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The {@code hardware:} section of {@code agent.yaml}: the board's devices as the hardware module's {@link BoardSpec},
 * how often each sensor is sampled, and how a simulated board differs from an ideal one.
 *
 * @param board      the devices, in config order
 * @param interval   sampling interval of every sensor without its own ({@code hardware.interval}, default 1 s)
 * @param intervals  per-entry sampling intervals ({@code hardware.devices.<name>.interval}), sensors only
 * @param simulation read only when the board is simulated
 */
public record HardwareConfig(BoardSpec board, Duration interval, Map<String, Duration> intervals,
        Simulation simulation) {
    /** The default sampling interval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    public HardwareConfig {
        Objects.requireNonNull(board, "board");
        AgentConfig.requirePositive(interval, "hardware.interval");
        intervals = Map.copyOf(intervals);
        intervals.forEach((entry, every) -> AgentConfig.requirePositive(every, "hardware.devices." + entry + ".interval"));
        Objects.requireNonNull(simulation, "simulation");
        for (String absent : simulation.absent()) {
            if (board.devices().stream().map(DeviceSpec::name).noneMatch(absent::equals)) {
                throw new ConfigException("hardware.simulation.absent: '" + absent + "' is not a configured device");
            }
        }
    }

    /** No devices at all: the agent only heartbeats. */
    public static HardwareConfig none() {
        return new HardwareConfig(BoardSpec.empty(), DEFAULT_INTERVAL, Map.of(), Simulation.DEFAULT);
    }

    /** Devices sampled every {@link #DEFAULT_INTERVAL}, simulation defaults. */
    public static HardwareConfig of(BoardSpec board) {
        return new HardwareConfig(board, DEFAULT_INTERVAL, Map.of(), Simulation.DEFAULT);
    }

    public HardwareConfig withInterval(Duration every) {
        return new HardwareConfig(board, every, intervals, simulation);
    }

    /** The sampling interval of one entry. */
    public Duration intervalOf(String entry) {
        return intervals.getOrDefault(entry, interval);
    }

    /**
     * @param seed   seeds every signal model; empty means "the caller's default" (the simulator's per-device seed)
     * @param absent entries whose chip is "not there"
     */
    public record Simulation(OptionalLong seed, Set<String> absent) {
        public static final Simulation DEFAULT = new Simulation(OptionalLong.empty(), Set.of());

        public Simulation {
            Objects.requireNonNull(seed, "seed");
            absent = Set.copyOf(absent);
        }

        /** The hardware module's settings: this seed (or {@code fallbackSeed}), these absent chips. */
        public SimulationSettings settings(long fallbackSeed) {
            return SimulationSettings.seeded(seed.orElse(fallbackSeed)).withAbsent(absent.toArray(String[]::new));
        }
    }
}
