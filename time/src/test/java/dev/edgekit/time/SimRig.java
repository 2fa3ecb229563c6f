package dev.edgekit.time;

import dev.edgekit.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One simulated client driving a {@link TimeSync} against simulated servers over a
 * {@link SimulatedNetwork}, in simulated time: the loop the MQTT wiring will run, minus the wire.
 */
final class SimRig {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** A server as the client sees it: its clock and what it says about itself. */
    record Server(DisciplinedClock clock, String id) {
        ServerInfo info() {
            return clock.serverInfo(id);
        }
    }

    final FakeClock reference = new FakeClock(START);
    final SplittableRandom random;
    final DeviceClock device;
    final DisciplinedClock clock;
    final TimeSync sync;
    final Map<String, Server> servers = new LinkedHashMap<>();
    final SimulatedNetwork network;
    boolean serversUp = true;
    long exchanges;

    SimRig(long seed, Duration offset, double driftPpm, SimulatedNetwork.DelayModel delays,
           Map<String, Duration> serverOffsets, TimeSyncConfig.Builder config, java.util.Optional<FrequencyEstimate> prior) {
        this(seed, offset, driftPpm, delays, serverOffsets, config, prior, null, Duration.ZERO);
    }

    SimRig(long seed, Duration offset, double driftPpm, SimulatedNetwork.DelayModel delays,
           Map<String, Duration> serverOffsets, TimeSyncConfig.Builder config, java.util.Optional<FrequencyEstimate> prior,
           Instant stepAt, Duration step) {
        random = new SplittableRandom(seed);
        DeviceClock.Simulated d = DeviceClock.simulated(reference).offset(offset).driftPpm(driftPpm)
                .jitter(SimulatedNetwork.micros(1), random.split());
        device = (stepAt == null ? d : d.stepAt(stepAt, step)).build();
        clock = DisciplinedClock.over(device);
        serverOffsets.forEach((id, off) -> servers.put(id, new Server(DisciplinedClock.reference(
                DeviceClock.simulated(reference).offset(off).jitter(SimulatedNetwork.micros(1), random.split()).build(),
                Duration.ZERO), id)));
        sync = TimeSync.create(config.build(), clock, prior);
        network = new SimulatedNetwork(reference, delays, random.split());
    }

    static SimRig oneServer(long seed, Duration offset, double driftPpm, SimulatedNetwork.DelayModel delays) {
        return new SimRig(seed, offset, driftPpm, delays, Map.of("ref", Duration.ZERO),
                TimeSyncConfig.builder("client", List.of("ref")), java.util.Optional.empty());
    }

    /** Reading error against reference time, and the bound reported with it. */
    record Observation(Instant at, long errorNanos, long boundNanos) {}

    Observation observe() {
        DisciplinedClock.Reading r = clock.read();
        return new Observation(reference.instant(), r.epochNanos() - Nanos.epochNanos(reference.instant()), r.errorBoundNanos());
    }

    /**
     * Runs the client loop until reference time {@code until}; {@code afterReply} sees every
     * verdict, {@code everyWait} is called at each idle point (where the agent would sleep).
     */
    void runUntil(Instant until, Consumer<Verdict> afterReply, Runnable everyWait) {
        while (reference.instant().isBefore(until)) {
            PollAction action = sync.nextAction(sync.stampNanos());
            switch (action) {
                case PollAction.Send send -> {
                    Server server = servers.get(send.serverId());
                    if (!serversUp) {
                        continue; // request lost: the scheduler's timeout will notice
                    }
                    exchanges++;
                    SimulatedNetwork.Result r = network.exchange(sync::stampNanos, () -> server.clock().epochNanos());
                    afterReply.accept(sync.onReply(send.token(), r.t1(), r.t2(), r.t3(), server.info(), r.t4()));
                }
                case PollAction.Wait wait -> {
                    everyWait.run();
                    long dt = Math.max(1_000, wait.untilNanos() - sync.stampNanos() + 2_000);
                    Instant next = reference.instant().plusNanos(dt);
                    reference.set(next.isAfter(until) ? until : next);
                }
            }
        }
    }

    void runUntil(Instant until) {
        runUntil(until, v -> { }, () -> { });
    }
}
