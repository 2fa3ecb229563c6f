package dev.edgekit.time.ntp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.edgekit.testkit.ChronydProcess;
import dev.edgekit.time.DeviceClock;
import dev.edgekit.time.DisciplinedClock;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our NTP server against the real clients on loopback: chronyd ({@code -x}, never touching this machine's clock)
 * selects it and synchronises to it, {@code chronyd -Q} measures a served offset, and ntpsec's {@code sntp} and
 * {@code ntpdate -q} (which only ask port 123) query it.
 */
@Timeout(90)
class NtpServerIT {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing.reversed()) c.close();
    }

    NtpServer serve(DisciplinedClock clock, int port) throws IOException {
        NtpServer server = NtpServer.start(clock, NtpServerConfig.on(LOOPBACK, port));
        closing.add(server);
        return server;
    }

    static DisciplinedClock hostAsReference() {
        return DisciplinedClock.reference(DeviceClock.system(), Duration.ofMillis(1));
    }

    @Test
    void chronydSelectsOurServerAndSynchronisesToIt() throws Exception {
        assumeThat(ChronydProcess.unavailable()).as("chronyd").isEmpty();
        NtpServer server = serve(hostAsReference(), 0);
        int port = server.localAddress().getPort();
        ChronydProcess chronyd = ChronydProcess.start(dir.resolve("chronyd"),
                List.of("server 127.0.0.1 port " + port + " iburst minpoll 0 maxpoll 0", "port 0"));
        closing.add(chronyd);
        // chronyc is asked twice a second until chronyd says it is synchronised; a timeout shows its sources and log
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(chronyd.chronyc("tracking"))
                        .as(() -> "chronyd synchronised to us:\n" + chronyd.chronyc("sources") + "\n" + chronyd.log())
                        .contains("Leap status     : Normal").contains("Stratum         : 2").contains("127.0.0.1"));
        String sources = chronyd.chronyc("-c", "sources");
        assertThat(sources).as(sources).contains("^,*,127.0.0.1");
        double measured = Double.parseDouble(sources.lines().filter(l -> l.contains("127.0.0.1")).findFirst()
                .orElseThrow().split(",")[8]);
        assertThat(Math.abs(measured)).as("our clock is the host clock: offset %s s", measured).isLessThan(0.001);
        assertThat(server.stats().served()).isGreaterThanOrEqualTo(4);
        assertThat(server.stats().droppedTotal()).isZero();
    }

    @Test
    void chronydOneShotMeasuresTheOffsetWeServe() throws Exception {
        assumeThat(ChronydProcess.unavailable()).as("chronyd").isEmpty();
        // a reference clock 250 ms ahead of the host: chronyd -Q must find the system clock 250 ms slow
        DeviceClock ahead = DeviceClock.simulated(Clock.systemUTC()).offset(Duration.ofMillis(250)).build();
        NtpServer server = serve(DisciplinedClock.reference(ahead, Duration.ofMillis(1)), 0);
        String out = run(List.of("/usr/sbin/chronyd", "-Q", "-u", "root", "-f", "/dev/null", "-t", "20",
                "server 127.0.0.1 port " + server.localAddress().getPort() + " iburst maxsamples 4"), 30);
        Matcher m = Pattern.compile("System clock wrong by (-?[0-9.]+) seconds").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as(out).isBetween(0.249, 0.251);
    }

    @Test
    void sntpAndNtpdateQueryOurServerOnPort123() throws Exception {
        assumeThat(ChronydProcess.unavailable()).as("root (port 123) and the NTP tools").isEmpty();
        NtpServer server;
        try {
            server = serve(hostAsReference(), NtpServerConfig.NTP_PORT);
        } catch (IOException busy) {
            assumeThat(busy).as("UDP 127.0.0.1:123 is taken here (a system NTP server?)").isNull();
            return;
        }
        String sntp = run(List.of("/usr/bin/sntp", "127.0.0.1"), 20);
        // ntpsec's sntp/ntpdig: "<date> <time> (+0000) +0.000012 +/- 0.000123 127.0.0.1 s1 no-leap"
        assertThat(sntp).as(sntp).contains("127.0.0.1 s1 no-leap");
        assertThat(offsetOf(sntp)).as(sntp).isLessThan(0.01);
        String ntpdate = run(List.of("/usr/sbin/ntpdate", "-q", "127.0.0.1"), 20);
        assertThat(ntpdate).as(ntpdate).contains("127.0.0.1 s1 no-leap");
        assertThat(server.stats().served()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anUnsynchronisedServerIsRefusedBySntp() throws Exception {
        assumeThat(ChronydProcess.unavailable()).as("root (port 123) and the NTP tools").isEmpty();
        try {
            serve(DisciplinedClock.over(DeviceClock.system()), NtpServerConfig.NTP_PORT);
        } catch (IOException busy) {
            assumeThat(busy).as("UDP 127.0.0.1:123 is taken here").isNull();
            return;
        }
        String sntp = run(List.of("/usr/bin/sntp", "-t", "2", "127.0.0.1"), 20);
        assertThat(sntp).as(sntp).doesNotContain(" s1 ").doesNotContain("no-leap");
    }

    private static double offsetOf(String sntpLine) {
        Matcher m = Pattern.compile("\\) ([+-][0-9.]+) \\+/-").matcher(sntpLine);
        assertThat(m.find()).as(sntpLine).isTrue();
        return Math.abs(Double.parseDouble(m.group(1)));
    }

    static String run(List<String> command, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
