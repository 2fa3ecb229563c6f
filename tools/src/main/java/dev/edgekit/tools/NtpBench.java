package dev.edgekit.tools;

import dev.edgekit.console.DurationConverter;
import dev.edgekit.console.EdgekitCommand;
import dev.edgekit.time.DeviceClock;
import dev.edgekit.time.DisciplinedClock;
import dev.edgekit.time.ntp.NtpServer;
import dev.edgekit.time.ntp.NtpServerConfig;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgekit bench ntp}: a real chronyd ({@code -x}, never touching this machine's clock) as the client of our NTP
 * server on loopback, then of a chronyd serving the same host clock ({@code local stratum 1}) — the reference
 * implementation as the anchor. Both servers serve the same clock, so the true offset is 0: the figures are chrony's
 * own measurements ({@code log measurements}): offset, its spread (jitter), and round-trip delay.
 */
@Command(name = "ntp", mixinStandardHelpOptions = true,
        description = {"chronyd measuring our NTP server on loopback, beside chronyd measuring chronyd.",
            "Needs root and chrony (chronyd -x: the machine's clock is never touched)."})
final class NtpBench implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
            description = "Measuring time per server (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--poll", defaultValue = "-2",
            description = "chrony's poll exponent, fixed (-6..6; -2 = 4 requests/s; default: ${DEFAULT-VALUE}).")
    int poll;

    /** chrony's measurements of one server, seconds. */
    record Figures(String server, int samples, double medianOffset, double p95AbsOffset, double jitter,
                   double medianDelay) {}

    @Override
    public Integer call() throws Exception {
        if (poll < -6 || poll > 6) throw new IllegalArgumentException("--poll: " + poll + " is not within -6..6");
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofMinutes(30)) > 0) {
            throw new IllegalArgumentException("--duration: " + duration + " is not within 1s..30m");
        }
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/sbin/chronyd"))) {
            throw new IllegalStateException("bench ntp needs root and chronyd (apt-get install chrony)");
        }
        EdgekitCommand.quietLogs();
        Path dir = Files.createTempDirectory("edgekit-bench-ntp-");
        List<Figures> all = new ArrayList<>();
        DisciplinedClock host = DisciplinedClock.reference(DeviceClock.system(), Duration.ofNanos(1_000));
        // the server's rate limit opened for the bench's fixed fast polling
        NtpServerConfig config = NtpServerConfig.on(InetAddress.getLoopbackAddress(), 0).withRate(1_000, 1_000);
        try (NtpServer ours = NtpServer.start(host, config)) {
            System.out.printf(Locale.ROOT, "edgekit NtpServer on %s; chronyd polling every 2^%d s for %d s…%n",
                    ours.localAddress(), poll, duration.toSeconds());
            all.add(measure("edgekit NtpServer", ours.localAddress().getPort(), dir.resolve("ours")));
            System.out.println("  server counters: " + ours.stats());
        }
        int port = freeUdpPort();
        Process server = chronyd(dir.resolve("server"), List.of("local stratum 1", "allow 127.0.0.1",
                "bindaddress 127.0.0.1", "port " + port));
        try {
            System.out.printf(Locale.ROOT, "chronyd (local stratum 1) on 127.0.0.1:%d; the same for %d s…%n", port,
                    duration.toSeconds());
            all.add(measure("chronyd local stratum 1", port, dir.resolve("theirs")));
        } finally {
            stop(server);
        }
        System.out.printf(Locale.ROOT, "%nchronyd 4.x as client on loopback, poll 2^%d s, %d s per server; µs:%n", poll,
                duration.toSeconds());
        System.out.printf(Locale.ROOT, "%-26s %8s %14s %14s %12s %13s%n", "server", "samples", "median offset",
                "p95 |offset|", "jitter (sd)", "median delay");
        for (Figures f : all) {
            System.out.printf(Locale.ROOT, "%-26s %8d %14.1f %14.1f %12.1f %13.1f%n", f.server(), f.samples(),
                    f.medianOffset() * 1e6, f.p95AbsOffset() * 1e6, f.jitter() * 1e6, f.medianDelay() * 1e6);
        }
        System.out.println("(the machine is shared and loaded: compare the rows, not the absolute figures)");
        return 0;
    }

    private Figures measure(String name, int port, Path dir) throws Exception {
        Process client = chronyd(dir, List.of("server 127.0.0.1 port " + port + " minpoll " + poll + " maxpoll " + poll
                + " iburst", "port 0", "logdir " + dir, "log measurements"));
        try {
            Thread.sleep(duration.toMillis());
        } finally {
            stop(client);
        }
        List<double[]> rows = new ArrayList<>(); // offset, peer delay
        for (String line : Files.readAllLines(dir.resolve("measurements.log"))) {
            String[] t = line.trim().split("\\s+");
            // Date Time IP L St 123 567 ABCD LP RP Score Offset PeerDel PeerDisp RootDel RootDisp Refid MTxRx
            if (t.length >= 13 && t[2].equals("127.0.0.1")) {
                rows.add(new double[] {Double.parseDouble(t[11]), Double.parseDouble(t[12])});
            }
        }
        rows = rows.subList(Math.min(4, rows.size() / 4), rows.size()); // the first exchanges warm the JIT and caches
        if (rows.isEmpty()) throw new IllegalStateException(name + ": chronyd logged no measurement (see " + dir + ")");
        double[] offsets = rows.stream().mapToDouble(r -> r[0]).sorted().toArray();
        double[] abs = rows.stream().mapToDouble(r -> Math.abs(r[0])).sorted().toArray();
        double[] delays = rows.stream().mapToDouble(r -> r[1]).sorted().toArray();
        double mean = java.util.Arrays.stream(offsets).average().orElse(0);
        double sd = Math.sqrt(java.util.Arrays.stream(offsets).map(o -> (o - mean) * (o - mean)).sum()
                / Math.max(1, offsets.length - 1));
        return new Figures(name, offsets.length, offsets[offsets.length / 2], abs[(int) Math.floor(0.95 * (abs.length - 1))],
                sd, delays[delays.length / 2]);
    }

    /** {@code chronyd -x -d} in its own folder: own pid file and dump folder, Unix command socket, no UDP cmd port. */
    private static Process chronyd(Path dir, List<String> directives) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------")); // chronyd insists
        List<String> conf = new ArrayList<>(directives);
        conf.addAll(List.of("pidfile " + dir.resolve("chronyd.pid"), "bindcmdaddress " + dir.resolve("chronyd.sock"),
                "cmdport 0", "dumpdir " + dir));
        Path file = dir.resolve("chronyd.conf");
        Files.writeString(file, String.join("\n", conf) + "\n", StandardCharsets.UTF_8);
        return new ProcessBuilder("/usr/sbin/chronyd", "-x", "-d", "-u", "root", "-f", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chronyd.log").toFile()).start();
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
