package dev.edgekit.tools;

import dev.edgekit.console.Flags;
import dev.edgekit.console.DurationConverter;
import dev.edgekit.console.EdgekitCommand;

import dev.edgekit.time.BerkeleyMaster;
import dev.edgekit.time.BerkeleyMember;
import dev.edgekit.time.DeviceClock;
import dev.edgekit.time.DisciplinedClock;
import dev.edgekit.time.FrequencyEstimate;
import dev.edgekit.time.SyncMode;
import dev.edgekit.time.TimeClient;
import dev.edgekit.time.TimeServer;
import dev.edgekit.time.TimeSync;
import dev.edgekit.time.TimeSyncConfig;
import dev.edgekit.time.Verdict;
import dev.edgekit.broker.EmbeddedBroker;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.PahoThreads;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgekit bench sync}: N simulated devices (own MQTT session each, clock offset and drift) synchronise through
 * a real broker to a stratum-1 time server that serves the host clock — the reference time every simulated device
 * clock is derived from, so the true error of each disciplined clock is known at every instant.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Clock sync through a real broker, measured against the reference clock:",
            "time to converge, p50/p99/max |residual error| after warm-up, single-sample p99,",
            "RTT, and whether the true error stayed inside the reported bound.",
            "Berkeley mode: one round over N members, one of them an outlier."})
final class SyncBench implements java.util.concurrent.Callable<Integer> {
    enum Mode { ntp, cristian, bounded, berkeley }

    @Option(names = {"-n", "--devices"}, defaultValue = "1", description = "Devices (Berkeley: members) (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--offset", defaultValue = "10s", converter = Flags.NonNegativeDuration.class,
            description = "Device clocks start this far off (± alternately; Berkeley: uniform within ±) (default: ${DEFAULT-VALUE}).")
    Duration offset;

    @Option(names = "--drift", defaultValue = "200ppm", description = "Device clocks drift ± this (default: ${DEFAULT-VALUE}).")
    String drift;

    @Option(names = "--mode", defaultValue = "ntp", description = "ntp, cristian, bounded or berkeley (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = {"-d", "--duration"}, defaultValue = "90s", converter = Flags.PositiveDuration.class,
            description = "How long to sync (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "30s", converter = Flags.NonNegativeDuration.class,
            description = "Residual errors are counted after this (JIT warm-up) (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--broker", converter = Flags.BrokerUrl.class, description = "Use this broker (e.g. a Mosquitto with set_tcp_nodelay) instead of the embedded one.")
    String broker;

    @Option(names = "--min-poll", defaultValue = "250ms", converter = Flags.PositiveDuration.class,
            description = "Client minPoll (default: ${DEFAULT-VALUE}).")
    Duration minPoll;

    @Option(names = "--max-poll", defaultValue = "64s", converter = Flags.PositiveDuration.class,
            description = "Client maxPoll (default: ${DEFAULT-VALUE}, the agent's default).")
    Duration maxPoll;

    @Option(names = "--burst", converter = Flags.PositiveInt.class, description = "Back-to-back exchanges per poll (default: the agent's, 8).")
    Integer burst;

    @Option(names = "--filter", converter = Flags.PositiveInt.class, description = "Polls in the clock filter (default: the agent's, 32).")
    Integer filter;

    @Option(names = "--min-transit", defaultValue = "50us", converter = MicrosConverter.class,
            description = "Bounded mode: Tmin (default: ${DEFAULT-VALUE}).")
    Duration minTransit;

    @Option(names = "--max-transit", defaultValue = "2ms", converter = MicrosConverter.class,
            description = "Bounded mode: Tmax (default: ${DEFAULT-VALUE}).")
    Duration maxTransit;

    @Option(names = "--observe", defaultValue = "100ms", converter = Flags.PositiveDuration.class,
            description = "How often every clock is compared with the reference (default: ${DEFAULT-VALUE}).")
    Duration observeEvery;

    @Option(names = "--holdover", converter = Flags.PositiveDuration.class,
            description = "After --duration, stop the time server and watch the error grow for this long (e.g. 10m).")
    Duration holdover;

    @Option(names = "--outlier", defaultValue = "1h", converter = Flags.NonNegativeDuration.class,
            description = "Berkeley: the last member starts this far off (0s for none) (default: ${DEFAULT-VALUE}).")
    Duration outlier;

    @Option(names = "--tolerance", converter = Flags.PositiveDuration.class,
            description = "Berkeley: fault-tolerance window around the median (default: 2 × --offset).")
    Duration tolerance;

    @Option(names = "--samples-csv", paramLabel = "FILE",
            description = "Write every accepted exchange (device, local t4, delay, measured and true offset in ns) to FILE.")
    java.nio.file.Path samplesCsv;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    static final Clock REFERENCE = Clock.systemUTC();
    static final String SITE = "bench";
    static final String SERVER = "bench-ref";

    /** Parses 50us / 1.5ms / 2s. */
    static final class MicrosConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.strip();
            if (v.endsWith("us") || v.endsWith("µs")) {
                return Duration.ofNanos(Math.round(Double.parseDouble(v.substring(0, v.length() - 2)) * 1e3));
            }
            return new DurationConverter().convert(v);
        }
    }

    static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** The true error of a reading (disciplined − reference), with the reference read on both sides. */
    record Observation(long errorNanos, long boundNanos, long windowNanos) {}

    static Observation observe(DisciplinedClock clock) {
        Observation best = null;
        for (int i = 0; i < 3; i++) {
            long before = nanos(REFERENCE.instant());
            DisciplinedClock.Reading r = clock.read();
            long after = nanos(REFERENCE.instant());
            Observation o = new Observation(r.epochNanos() - (before + after) / 2, r.errorBoundNanos(), after - before);
            if (best == null || o.windowNanos() < best.windowNanos()) best = o;
        }
        return best;
    }

    final class Device {
        final String id;
        final DeviceClock device;
        final DisciplinedClock clock;
        MqttSession session;
        TimeSync sync;
        volatile TimeClient client;
        BerkeleyMember member;
        volatile long convergedAtNanos = -1;
        volatile long exchangesToConverge = -1;
        final double driftPpm;

        Device(String id, Duration offset, double driftPpm) {
            this.id = id;
            this.driftPpm = driftPpm;
            this.device = DeviceClock.simulated(REFERENCE).offset(offset).driftPpm(driftPpm).build();
            this.clock = DisciplinedClock.over(device);
        }
    }

    private final List<String> csvRows = new ArrayList<>();
    private final List<Long> residuals = new ArrayList<>();
    private final List<Long> signedResiduals = new ArrayList<>();
    private final List<Long> singles = new ArrayList<>();
    private final List<Long> rtts = new ArrayList<>();
    private final List<Long> bounds = new ArrayList<>();
    private long observations;
    private long outsideBound;
    private long maxWindow;

    @Override
    public Integer call() throws Exception {
        if (devices < 1 || devices > 2000) throw new IllegalArgumentException("--devices must be 1-2000");
        double driftPpm = Double.parseDouble(drift.strip().replace("ppm", ""));
        EdgekitCommand.quietLogs();
        PrintStream out = System.out;
        EmbeddedBroker embedded = broker == null ? EmbeddedBroker.start() : null;
        String uri = broker != null ? broker : embedded.uri();
        out.printf(Locale.ROOT, "bench sync: mode %s, %d %s, offset %s, drift ±%.0f ppm, broker %s%s, %d cores, load %.1f%n",
                mode, devices, mode == Mode.berkeley ? "members" : "devices", offset, driftPpm, uri,
                embedded != null ? " (embedded)" : "", Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "bench-sync");
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService paho = devices > 100 ? PahoThreads.virtual() : null;
        List<MqttSession> sessions = new ArrayList<>();
        try {
            return mode == Mode.berkeley ? berkeley(out, uri, driftPpm, sessions, paho)
                    : clients(out, uri, driftPpm, scheduler, sessions, paho);
        } finally {
            sessions.parallelStream().forEach(s -> s.close(Duration.ofSeconds(2)));
            scheduler.shutdownNow();
            if (paho != null) paho.shutdownNow();
            if (embedded != null) embedded.close();
        }
    }

    private MqttSession session(String uri, String id, DeviceClock clock, List<MqttSession> sessions,
                                ScheduledExecutorService paho) {
        var b = MqttSession.builder().server(uri).clientId(id).clock(clock);
        if (paho != null) b.pahoExecutor(paho);
        MqttSession s = b.build();
        sessions.add(s);
        return s;
    }

    private int clients(PrintStream out, String uri, double driftPpm, ScheduledExecutorService scheduler,
                        List<MqttSession> sessions, ScheduledExecutorService paho) throws Exception {
        DisciplinedClock reference = DisciplinedClock.reference(DeviceClock.of(REFERENCE), Duration.ZERO);
        MqttSession serverSession = session(uri, SERVER, reference.device(), sessions, paho);
        serverSession.connect().get(30, TimeUnit.SECONDS);
        TimeServer server = TimeServer.start(serverSession, SITE, SERVER, reference);
        server.ready().get(10, TimeUnit.SECONDS);

        List<Device> fleet = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            Duration off = i % 2 == 0 ? offset : offset.negated();
            double d = (i / 2) % 2 == 0 ? driftPpm : -driftPpm;
            Device dev = new Device(String.format(Locale.ROOT, "bench-%04d", i + 1), off, d);
            dev.session = session(uri, dev.id, dev.device, sessions, paho);
            fleet.add(dev);
        }
        CompletableFuture.allOf(fleet.stream().map(f -> f.session.connect()).toArray(CompletableFuture[]::new))
                .get(60, TimeUnit.SECONDS);
        SyncMode syncMode = switch (mode) {
            case cristian -> new SyncMode.Cristian();
            case bounded -> new SyncMode.Bounded(minTransit, maxTransit);
            default -> new SyncMode.Ntp();
        };
        long start = System.nanoTime();
        long warmupEnd = start + warmup.toNanos();
        for (Device dev : fleet) {
            var builder = TimeSyncConfig.builder(dev.id, List.of(SERVER)).mode(syncMode).minPoll(minPoll).maxPoll(maxPoll);
            if (burst != null) builder.burstSize(burst);
            if (filter != null) builder.filterSize(filter);
            TimeSyncConfig cfg = builder.build();
            dev.sync = TimeSync.create(cfg, dev.clock, Optional.empty());
            dev.client = TimeClient.start(dev.session, SITE, dev.id, dev.sync, cfg, scheduler, true, v -> {
                if (v instanceof Verdict.Accepted a && a.clockUpdated()) converged(dev, start); // exact exchange count
                if (v instanceof Verdict.Accepted a && samplesCsv != null) {
                    long trueOffset = nanos(REFERENCE.instant()) - dev.device.epochNanos();
                    synchronized (csvRows) {
                        csvRows.add(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%b", dev.id, a.sample().localNanos(),
                                a.sample().delayNanos(), a.sample().offsetNanos(), trueOffset, a.clockUpdated()));
                    }
                }
                if (v instanceof Verdict.Accepted a && System.nanoTime() > warmupEnd) {
                    long ref = nanos(REFERENCE.instant());
                    long trueOffset = ref - dev.device.epochNanos();
                    synchronized (this) {
                        singles.add(Math.abs(a.sample().offsetNanos() - trueOffset));
                        rtts.add(a.sample().delayNanos());
                    }
                }
            });
        }
        long end = start + duration.toNanos();
        out.printf(Locale.ROOT, "syncing for %d s (residuals counted after %d s)…%n", duration.toSeconds(), warmup.toSeconds());
        watch(fleet, start, end, warmupEnd, true);

        Map<String, Long> rejections = new LinkedHashMap<>();
        long timeouts = 0;
        for (Device dev : fleet) {
            dev.sync.rejections().forEach((r, n) -> rejections.merge(r.name(), n, Long::sum));
            timeouts += dev.sync.timeouts();
        }
        report(out, fleet, start, rejections, timeouts);
        if (samplesCsv != null) {
            synchronized (csvRows) {
                java.nio.file.Files.write(samplesCsv, java.util.stream.Stream.concat(
                        java.util.stream.Stream.of("device,local_t4_ns,delay_ns,offset_ns,true_offset_ns,clock_updated"),
                        csvRows.stream()).toList());
            }
            out.printf(Locale.ROOT, "samples: %d exchanges written to %s%n", csvRows.size(), samplesCsv);
        }

        if (holdover != null) {
            List<Long> errorsAtStop = new ArrayList<>();
            List<Double> freqErrors = new ArrayList<>();
            for (Device dev : fleet) {
                dev.client.close();
                errorsAtStop.add(observe(dev.clock).errorNanos());
                FrequencyEstimate f = dev.clock.frequency();
                freqErrors.add(Math.abs(f.driftPpm() - dev.driftPpm));
            }
            server.close();
            out.printf(Locale.ROOT, "holdover: server stopped; frequency estimate vs injected drift: max |error| %.3f ppm"
                    + " (target ≤ 0.5 ppm); watching for %d s…%n", freqErrors.stream().mapToDouble(x -> x).max().orElse(0),
                    holdover.toSeconds());
            Thread.sleep(holdover.toMillis());
            long worst = 0;
            boolean inside = true;
            for (int i = 0; i < fleet.size(); i++) {
                Observation o = observe(fleet.get(i).clock);
                worst = Math.max(worst, Math.abs(o.errorNanos() - errorsAtStop.get(i)));
                inside &= Math.abs(o.errorNanos()) <= o.boundNanos() + o.windowNanos();
            }
            out.printf(Locale.ROOT, "holdover: error grew by at most %s over %d s without a server (target ≤ 0.5 ms in"
                    + " 10 min); true error inside the bound at the end: %s%n", micros(worst), holdover.toSeconds(),
                    inside ? "yes" : "NO");
        }
        return 0;
    }

    /** Records the moment {@code dev} first comes within 1 ms of the reference, and the exchanges it took. */
    private static void converged(Device dev, long start) {
        if (dev.convergedAtNanos >= 0 || dev.client == null || !dev.clock.synchronised()
                || Math.abs(observe(dev.clock).errorNanos()) >= 1_000_000) {
            return;
        }
        synchronized (dev) {
            if (dev.convergedAtNanos >= 0) return;
            dev.exchangesToConverge = dev.client.stats().requestsSent();
            dev.convergedAtNanos = System.nanoTime() - start;
        }
    }

    /** Observes every clock until {@code end}. */
    private void watch(List<Device> fleet, long start, long end, long warmupEnd, boolean progress)
            throws InterruptedException {
        long next = System.nanoTime();
        long lastLine = start;
        while (System.nanoTime() < end) {
            for (Device dev : fleet) {
                Observation o = observe(dev.clock);
                long now = System.nanoTime();
                long abs = Math.abs(o.errorNanos());
                converged(dev, start); // or while slewing, between exchanges
                if (dev.clock.synchronised() && now > warmupEnd) {
                    synchronized (this) {
                        residuals.add(abs);
                        signedResiduals.add(o.errorNanos());
                        observations++;
                        maxWindow = Math.max(maxWindow, o.windowNanos());
                        bounds.add(o.boundNanos());
                        // outside only if even the most favourable instant in the read window is outside
                        if (abs - o.windowNanos() / 2 > o.boundNanos()) outsideBound++;
                    }
                }
            }
            if (progress && System.nanoTime() - lastLine > 10_000_000_000L) {
                lastLine = System.nanoTime();
                long converged = fleet.stream().filter(d -> d.convergedAtNanos >= 0).count();
                System.out.printf(Locale.ROOT, "  [%3ds] %d/%d converged%n", (lastLine - start) / 1_000_000_000L,
                        converged, fleet.size());
            }
            next += observeEvery.toNanos();
            long sleep = next - System.nanoTime();
            if (sleep > 0) TimeUnit.NANOSECONDS.sleep(sleep);
        }
    }

    private void report(PrintStream out, List<Device> fleet, long start, Map<String, Long> rejections, long timeouts) {
        long[] conv = fleet.stream().filter(d -> d.convergedAtNanos >= 0).mapToLong(d -> d.convergedAtNanos).sorted().toArray();
        long[] ex = fleet.stream().filter(d -> d.convergedAtNanos >= 0).mapToLong(d -> d.exchangesToConverge).sorted().toArray();
        out.printf(Locale.ROOT, "converged (|error| < 1 ms): %d/%d devices; time median %s, max %s; exchanges sent by then"
                + " median %d, max %d (target ≤ 10)%n", conv.length, fleet.size(), conv.length == 0 ? "-" : millis(conv[conv.length / 2]),
                conv.length == 0 ? "-" : millis(conv[conv.length - 1]), ex.length == 0 ? -1 : ex[ex.length / 2],
                ex.length == 0 ? -1 : ex[ex.length - 1]);
        long[] r = residuals.stream().mapToLong(x -> x).sorted().toArray();
        if (r.length > 0) {
            out.printf(Locale.ROOT, "residual |error| after %d s warm-up: p50 %s  p99 %s  max %s  (%d observations; target"
                    + " p99 ≤ 25 µs)%n", warmup.toSeconds(), micros(pct(r, 50)), micros(pct(r, 99)), micros(r[r.length - 1]), r.length);
            long[] signed = signedResiduals.stream().mapToLong(x -> x).sorted().toArray();
            out.printf(Locale.ROOT, "residual error (disciplined − reference): mean %s, p1 %s, p50 %s, p99 %s%n",
                    micros((long) Arrays.stream(signed).average().orElse(0)), micros(pct(signed, 1)),
                    micros(pct(signed, 50)), micros(pct(signed, 99)));
        } else {
            out.println("residual |error|: no observations after warm-up (run longer than --warmup)");
        }
        long[] s = singles.stream().mapToLong(x -> x).sorted().toArray();
        long[] t = rtts.stream().mapToLong(x -> x).sorted().toArray();
        if (s.length > 0) {
            out.printf(Locale.ROOT, "single-sample |θ error| after warm-up: p50 %s  p99 %s  (%d samples, for comparison)%n",
                    micros(pct(s, 50)), micros(pct(s, 99)), s.length);
            out.printf(Locale.ROOT, "round trip (δ) after warm-up: mean %s  min %s  p99 %s%n",
                    micros((long) Arrays.stream(t).average().orElse(0)), micros(t[0]), micros(pct(t, 99)));
        }
        long[] b = bounds.stream().mapToLong(x -> x).sorted().toArray();
        out.printf(Locale.ROOT, "error bound: true error inside the reported bound in %d of %d observations (%d outside;"
                + " widest read window %s); bound p50 %s, p99 %s%n", observations - outsideBound, observations,
                outsideBound, micros(maxWindow), b.length == 0 ? "-" : micros(pct(b, 50)), b.length == 0 ? "-" : micros(pct(b, 99)));
        long onWire = fleet.stream().mapToLong(d -> d.client.stats().repliesOnWire()).sum();
        long accepted = fleet.stream().mapToLong(d -> d.client.stats().accepted()).sum();
        long replies = fleet.stream().mapToLong(d -> d.client.stats().requestsSent() - d.client.stats().sendFailures()).sum();
        out.printf(Locale.ROOT, "exchanges: %d accepted, %d with all four timestamps taken at the sockets (of %d answered);"
                + " burst %d, filter %d%n", accepted, onWire, replies, fleet.get(0).sync.config().burstSize(),
                fleet.get(0).sync.config().filterSize());
        out.printf(Locale.ROOT, "rejected replies: %s; exchange timeouts: %d; poll interval at the end: %s%n",
                rejections.isEmpty() ? "none" : rejections, timeouts,
                fleet.get(0).sync.status().pollInterval());
    }

    private int berkeley(PrintStream out, String uri, double driftPpm, List<MqttSession> sessions,
                         ScheduledExecutorService paho) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        List<Device> members = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            boolean isOutlier = i == devices - 1 && !outlier.isZero() && devices > 2;
            Duration off = isOutlier ? outlier
                    : Duration.ofNanos((long) ((random.nextDouble() * 2 - 1) * offset.toNanos()));
            double d = (random.nextDouble() * 2 - 1) * driftPpm;
            Device dev = new Device(String.format(Locale.ROOT, "m-%03d", i + 1), off, d);
            dev.session = session(uri, dev.id, dev.device, sessions, paho);
            members.add(dev);
        }
        CompletableFuture.allOf(members.stream().map(f -> f.session.connect()).toArray(CompletableFuture[]::new))
                .get(60, TimeUnit.SECONDS);
        for (Device dev : members) {
            dev.member = BerkeleyMember.start(dev.session, SITE, dev.id, dev.clock);
        }
        CompletableFuture.allOf(members.stream().map(m -> m.member.ready()).toArray(CompletableFuture[]::new))
                .get(30, TimeUnit.SECONDS);
        List<String> ids = members.stream().map(m -> m.id).toList();
        String masterId = BerkeleyMaster.lowestId(ids);
        Device master = members.stream().filter(m -> m.id.equals(masterId)).findFirst().orElseThrow();
        Duration tol = tolerance != null ? tolerance : offset.multipliedBy(2);
        BerkeleyMaster round = new BerkeleyMaster(master.session, SITE, masterId, master.clock, tol,
                Duration.ofSeconds(2), 3, master.member);
        int good = outlier.isZero() || devices <= 2 ? devices : devices - 1;
        out.printf(Locale.ROOT, "before: good members spread %s; master %s; tolerance %s%n",
                micros(spread(members.subList(0, good))), masterId, tol);
        long t0 = System.nanoTime();
        BerkeleyMaster.Outcome outcome = round.runRound(ids).get(60, TimeUnit.SECONDS);
        long roundNanos = System.nanoTime() - t0;
        Thread.sleep(1000); // adjustments are QoS 0 publishes: let them land
        long maxRtt = outcome.estimates().values().stream().mapToLong(BerkeleyMaster.Estimate::delayNanos).max().orElse(0);
        long minRtt = outcome.estimates().values().stream().mapToLong(BerkeleyMaster.Estimate::delayNanos).min().orElse(0);
        long slewing = members.stream().filter(m -> m.clock.errorBoundNanos() > 1_000_000_000L).count();
        out.printf(Locale.ROOT, "round: %s for %d members; least-delay RTT per member: min %s, max %s; excluded %s;"
                + " unreachable %s%n", millis(roundNanos), ids.size(), micros(minRtt), micros(maxRtt),
                outcome.result().excluded(), outcome.unreachable());
        out.printf(Locale.ROOT, "after one round: good members agree within %s (max − min of their errors; target ≤ 1 ms,"
                + " TEMPO 20–25 ms)%n", micros(spread(members.subList(0, good))));
        if (good < devices) {
            long outlierVsMaster = observe(members.get(devices - 1).clock).errorNanos() - observe(master.clock).errorNanos();
            out.printf(Locale.ROOT, "outlier (%s off): excluded from the average: %s; now %s from the master%n", outlier,
                    outcome.result().excluded().contains(members.get(devices - 1).id) ? "yes" : "NO",
                    micros(Math.abs(outlierVsMaster)));
        }
        long inside = members.stream().filter(m -> {
            Observation o = observe(m.clock);
            Observation mo = observe(master.clock);
            return Math.abs(o.errorNanos() - mo.errorNanos()) <= o.boundNanos() + mo.boundNanos();
        }).count();
        out.printf(Locale.ROOT, "agreement with the master inside the sum of both reported bounds: %d/%d members;"
                + " members with a bound over 1 s (still slewing): %d%n", inside, members.size(), slewing);
        for (Device d : members) d.member.close();
        return 0;
    }

    private static long spread(List<Device> group) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Device d : group) {
            long e = observe(d.clock).errorNanos();
            min = Math.min(min, e);
            max = Math.max(max, e);
        }
        return max - min;
    }

    static long pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static String micros(long nanos) {
        return Math.abs(nanos) >= 10_000_000 ? String.format(Locale.ROOT, "%.1f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
