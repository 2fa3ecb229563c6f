package dev.edgekit.agent.runtime;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.hardware.Board;
import dev.edgekit.hardware.HardwareUnavailableException;
import dev.edgekit.hardware.board.Boards;
import java.time.InstantSource;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Opens the board an agent's config asks for, and only that one: {@code board: simulated} opens a simulated board
 * (seeded by {@code hardware.simulation.seed}, else {@code fallbackSeed}); {@code board: pi} opens the real Raspberry
 * Pi or throws {@link HardwareUnavailableException}, whose message says how to choose simulated hardware. There is no
 * fallback from one to the other.
 */
public final class AgentBoards {
    private AgentBoards() {
    }

    /**
     * @param clock     stamps hardware events (the agent's clock)
     * @param scheduler runs debounce timers
     * @throws HardwareUnavailableException for {@code board: pi} on a machine that is not a usable Raspberry Pi
     */
    public static Board open(AgentConfig config, InstantSource clock, ScheduledExecutorService scheduler,
            long fallbackSeed) {
        return switch (config.board()) {
            case SIMULATED -> Boards.openSimulated(config.hardware().board(), clock, scheduler,
                    config.hardware().simulation().settings(fallbackSeed));
            case PI -> Boards.openReal(config.hardware().board(), clock, scheduler);
        };
    }
}
