package dev.edgekit.time.chrony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.edgekit.testkit.ChronydProcess;
import dev.edgekit.time.DeviceClock;
import dev.edgekit.time.DisciplinedClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real chronyd ({@code -x}: it never touches this machine's clock) with the agent's {@code refclock SOCK}: it takes
 * the feed's samples, selects the refclock and measures the offset the agent's clock claims.
 */
@Timeout(60)
class ChronyRefclockIT {
    @TempDir
    Path dir;

    /** A disciplined clock over the host clock that believes true time is 5 ms ahead of the system clock. */
    static DisciplinedClock fiveMillisecondsAhead() {
        DisciplinedClock clock = DisciplinedClock.over(DeviceClock.system());
        clock.adjust("fleet", Duration.ofMillis(5), Duration.ofNanos(100_000));
        return clock;
    }

    ChronydProcess chronydWithRefclock(Path socket) throws Exception {
        Optional<String> why = ChronydProcess.unavailable();
        assumeThat(why).as("chronyd").isEmpty();
        return ChronydProcess.start(dir.resolve("chronyd"),
                List.of("refclock SOCK " + socket + " refid EDGE poll 0 precision 1e-4", "port 0"));
    }

    @Test
    void chronydSelectsTheFeedAndMeasuresTheOffsetTheAgentClaims() throws Exception {
        Path socket = dir.resolve("edgekit.sock");
        DisciplinedClock clock = fiveMillisecondsAhead();
        try (ChronydProcess chronyd = chronydWithRefclock(socket);
             ChronyFeed feed = new ChronyFeed(clock, socket, Duration.ofMillis(1))) {
            String line = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && !selected(line)) {
                for (int i = 0; i < 5; i++) {
                    assertThat(feed.offer()).isEqualTo(ChronyFeed.State.ACCEPTING);
                    Thread.sleep(100);
                }
                line = edgeSource(chronyd.chronyc("-c", "sources"));
            }
            assertThat(selected(line)).as("chronyd selected the EDGE refclock: %s%n%s", line, chronyd.log()).isTrue();
            // chronyc -c sources: mode,state,name,stratum,poll,reach,lastRx,adjusted offset,measured offset,error;
            // its offset is local − source: the system clock is 5 ms behind what the agent believes
            double measured = Double.parseDouble(line.split(",")[8]);
            assertThat(measured).as("measured offset of EDGE, s (%s)", line).isBetween(-0.0055, -0.0045);
            assertThat(feed.status().accepting()).isTrue();
            assertThat(feed.status().sent()).isPositive();
        }
    }

    @Test
    void withoutChronydTheFeedSaysNoSocketAndWithoutSyncItSendsNothing() throws Exception {
        Path socket = dir.resolve("absent.sock");
        try (ChronyFeed feed = new ChronyFeed(clockAhead(), socket, Duration.ofMillis(1))) {
            assertThat(feed.offer()).isEqualTo(ChronyFeed.State.NO_SOCKET);
            assertThat(feed.status().accepting()).isFalse();
            assertThat(feed.status().detail()).contains(socket.toString());
        }
        try (ChronyFeed feed = new ChronyFeed(DisciplinedClock.over(DeviceClock.system()), socket, Duration.ofMillis(1))) {
            assertThat(feed.offer()).isEqualTo(ChronyFeed.State.WITHHELD_UNSYNCHRONISED);
            assertThat(feed.status().withheld()).isEqualTo(1);
        }
        try (ChronyFeed feed = new ChronyFeed(clockAhead(), socket, Duration.ofNanos(10_000))) {
            assertThat(feed.offer()).isEqualTo(ChronyFeed.State.WITHHELD_BOUND);
            assertThat(feed.status().sent()).isZero();
        }
    }

    @Test
    void aSocketNobodyListensOnIsRefused() throws Exception {
        Path socket = dir.resolve("stale.sock");
        Files.createFile(socket); // a stale path left behind by a stopped chronyd is no listener
        try (ChronyFeed feed = new ChronyFeed(clockAhead(), socket, Duration.ofMillis(1))) {
            assertThat(feed.offer()).isEqualTo(ChronyFeed.State.REFUSED);
            assertThat(feed.status().failed()).isEqualTo(1);
        }
    }

    private static DisciplinedClock clockAhead() {
        return fiveMillisecondsAhead();
    }

    private static String edgeSource(String csv) {
        return csv.lines().filter(l -> l.contains(",EDGE,")).findFirst().orElse("");
    }

    private static boolean selected(String line) {
        return line.startsWith("#,*,");
    }
}
