package dev.edgekit.tools.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One {@code bench fleet} run: a broker (Mosquitto started here, the simulator's embedded one, or a given URI), an
 * independent {@code mosquitto_sub} at QoS 1 in its own process streaming into an {@link ArrivalTally}, and
 * {@code edgekit simulate} in a child JVM sampled through {@code /proc}.
 *
 * @param broker       "mosquitto" (start one), "embedded" (the simulator's) or a {@code tcp://host:port} URI
 * @param simulateArgs extra arguments for simulate (e.g. --shard, --chaos)
 * @param wallClock    the host's clock: the outside subscriber stamps arrivals with it ({@code %U}), so start and stop
 *                     are taken from the same clock
 */
record FleetRun(int devices, String broker, Duration duration, Duration sample, Duration heartbeat,
        List<String> javaOpts, List<String> simulateArgs, Path dir, boolean keepRaw, PrintStream progress,
        java.time.InstantSource wallClock) {
    /** After the simulator stops, entries that arrive this much later are still counted. */
    private static final Duration DRAIN = Duration.ofSeconds(3);
    /** Holes that closed this close to the stop were in flight. */
    private static final double IN_FLIGHT_SECONDS = 5;
    /** Left out of the sampling lag: the device clocks' first steps. */
    private static final double WARMUP_SECONDS = 15;

    FleetFigures run() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        FleetMosquitto mosquitto = broker.equals("mosquitto") ? new FleetMosquitto(dir) : null;
        int embeddedPort = broker.equals("embedded") ? FleetMosquitto.freePort() : -1;
        String uri = mosquitto != null ? mosquitto.uri() : embeddedPort > 0 ? null : broker;
        Process subscriber = null;
        Process simulator = null;
        try {
            ArrivalTally tally = new ArrivalTally();
            Path report = dir.resolve("simulate-report.json");
            Files.deleteIfExists(report);
            simulator = startSimulator(uri, embeddedPort, report);
            long pid = simulator.pid();
            double startedAt = wallClock.millis() / 1e3;
            int port = uri != null ? Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1)) : embeddedPort;
            String host = uri != null ? uri.replaceFirst("^[a-z]+://", "").replaceFirst(":\\d+$", "") : "127.0.0.1";
            if (uri == null) {
                FleetMosquitto.awaitPort(port, simulator); // the embedded broker starts inside the simulator
            }
            subscriber = startSubscriber(host, port);
            Thread reader = Thread.ofPlatform().name("bench-fleet-subscriber").start(feed(subscriber, tally,
                    keepRaw ? dir.resolve("subscriber.txt") : null));
            // the simulator's own output: progress, and the moment it was told to stop
            double[] stopAt = {0};
            // the simulator says all are up (with the embedded broker, births may be missed outside)
            java.util.concurrent.atomic.AtomicBoolean startedLine = new java.util.concurrent.atomic.AtomicBoolean();
            BufferedReader out = new BufferedReader(new InputStreamReader(simulator.getInputStream(),
                    StandardCharsets.UTF_8));
            long peakRss = 0;
            int peakThreads = 0;
            long ticksAtStart = -1;
            double runningSince = 0;
            long ticksAtStop = 0;
            Thread lines = Thread.ofPlatform().name("bench-fleet-simulate").start(() -> {
                try (out) {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("all ") && line.contains(" started in ")) {
                            startedLine.set(true);
                        }
                        if (line.startsWith("stopping")) {
                            stopAt[0] = wallClock.millis() / 1e3;
                        }
                        if (!line.startsWith("WARNING:") && !line.isBlank()) {
                            progress.println("  | " + line);
                        }
                    }
                } catch (IOException ignored) {
                    // the simulator went away
                }
            });
            while (simulator.isAlive()) {
                ProcStats p = ProcStats.of(pid);
                peakRss = Math.max(peakRss, p.rssKb());
                peakThreads = Math.max(peakThreads, p.threads());
                if (ticksAtStart < 0 && (tally.born() >= devices || startedLine.get())) {
                    ticksAtStart = p.cpuTicks();
                    runningSince = wallClock.millis() / 1e3;
                }
                if (stopAt[0] == 0 && p.cpuTicks() > 0) {
                    ticksAtStop = p.cpuTicks();
                }
                simulator.waitFor(500, TimeUnit.MILLISECONDS);
            }
            lines.join(TimeUnit.SECONDS.toMillis(5));
            if (stopAt[0] == 0) {
                stopAt[0] = wallClock.millis() / 1e3;
            }
            Thread.sleep(DRAIN.toMillis());
            subscriber.destroy();
            reader.join(TimeUnit.SECONDS.toMillis(30));
            double load = ProcStats.load1();
            FleetFigures.Delivery delivery = tally.result(devices, seconds(sample), seconds(heartbeat), stopAt[0],
                    IN_FLIGHT_SECONDS, WARMUP_SECONDS);
            double runSeconds = ticksAtStart < 0 ? 0 : stopAt[0] - runningSince;
            double cpuSeconds = ticksAtStart < 0 ? 0 : (ticksAtStop - ticksAtStart) / (double) ProcStats.TICKS_PER_SECOND;
            JsonNode own = Files.exists(report) ? new ObjectMapper().readTree(report.toFile()) : null;
            double start = tally.lastFirstBirth() == 0 ? -1 : tally.lastFirstBirth() - startedAt;
            return new FleetFigures(devices, mosquitto != null ? "mosquitto" : uri == null ? "embedded" : uri, start,
                    peakRss / 1024, peakThreads, runSeconds <= 0 ? 0 : 100 * cpuSeconds / runSeconds,
                    delivery.unique() == 0 ? 0 : cpuSeconds * 1e6 / delivery.unique(), load, delivery,
                    own == null ? -1 : own.path("syncP50Micros").asDouble(-1),
                    own == null ? -1 : own.path("syncP99Micros").asDouble(-1),
                    own == null ? -1 : own.path("synced").asInt(-1));
        } finally {
            if (simulator != null && simulator.isAlive()) {
                simulator.destroy();
                simulator.waitFor(20, TimeUnit.SECONDS);
            }
            if (subscriber != null) {
                subscriber.destroyForcibly();
            }
            if (mosquitto != null) {
                mosquitto.close();
            }
        }
    }

    private Process startSimulator(String uri, int embeddedPort, Path report) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(javaOpts);
        // the agents' state folders (outboxes) go under the temp folder: a fresh one per run, so no entry of an
        // earlier run is delivered (and counted) in this one, and a second bench on the host never shares them
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        command.add("-Djava.io.tmpdir=" + tmp);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.edgekit.tools.Main", "simulate",
                "--devices", Integer.toString(devices), "--duration", duration.toSeconds() + "s",
                "--sample", sample.toMillis() + "ms", "--heartbeat", heartbeat.toMillis() + "ms",
                "--report", report.toString()));
        if (uri != null) {
            command.addAll(List.of("--broker", uri));
        } else {
            command.addAll(List.of("--port", Integer.toString(embeddedPort), "--no-advertise"));
        }
        command.addAll(simulateArgs);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private Process startSubscriber(String host, int port) throws IOException {
        String id = String.format(Locale.ROOT, "edgekit-bench-sub-%d-%d", ProcessHandle.current().pid(), devices);
        return new ProcessBuilder("mosquitto_sub", "-h", host, "-p", Integer.toString(port), "-V", "mqttv5", "-q", "1",
                "-i", id, "-t", "edgekit/v1/#", "-F", "%U %t %p")
                .redirectError(dir.resolve("mosquitto_sub.err").toFile()).start();
    }

    private static Runnable feed(Process subscriber, ArrivalTally tally, Path raw) {
        return () -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(subscriber.getInputStream(),
                    StandardCharsets.UTF_8), 1 << 16);
                    java.io.Writer copy = raw == null ? java.io.Writer.nullWriter()
                            : Files.newBufferedWriter(raw, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    tally.accept(line);
                    copy.write(line);
                    copy.write('\n');
                }
            } catch (IOException ignored) {
                // the subscriber was stopped
            }
        };
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
