package dev.edgekit.agent.runtime;

import java.time.Instant;
import java.time.InstantSource;

/**
 * A board without a real-time clock can boot in 1970 (or wherever its fake-hwclock last saved). Such a clock breaks
 * certificate validity checks and stamps nonsense on every reading, so the agent refuses to start until the clock
 * reads at least its own build time; systemd restarts it, by which time network time has usually arrived.
 */
public final class ClockSanity {
    private ClockSanity() {
    }

    public static void requireNotBefore(InstantSource clock, Instant buildTime) {
        Instant now = clock.instant();
        if (now.isBefore(buildTime)) {
            throw new IllegalStateException("the system clock reads " + now + ", earlier than this build of edgekit ("
                    + buildTime + "); set the time first (systemd-timesyncd, chrony or fake-hwclock)");
        }
    }
}
