package dev.edgekit.agent.runtime;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.outbox.Checkpoint;
import dev.edgekit.agent.outbox.CheckpointStore;
import dev.edgekit.agent.outbox.DrainerConfig;
import dev.edgekit.agent.outbox.DrainerStats;
import dev.edgekit.agent.outbox.NewEntry;
import dev.edgekit.agent.outbox.Outbox;
import dev.edgekit.agent.outbox.OutboxConfig;
import dev.edgekit.agent.outbox.OutboxDrainer;
import dev.edgekit.agent.outbox.OutboxEntry;
import dev.edgekit.agent.outbox.OutboxStatus;
import dev.edgekit.agent.outbox.Receipt;
import dev.edgekit.agent.outbox.SharedOutboxFile;
import dev.edgekit.agent.outbox.StorageHealth;
import dev.edgekit.protocol.clock.HlcTimestamp;
import dev.edgekit.protocol.clock.HybridLogicalClock;
import dev.edgekit.protocol.clock.LamportClock;
import dev.edgekit.protocol.clock.LogicalClocks;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.mqtt.ConnectionListener;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.MqttSessionException;
import dev.edgekit.protocol.mqtt.Outgoing;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of "no data lost" (ARCHITECTURE.md): every telemetry sample and event is appended to the durable outbox
 * at {@code {stateDir}/outbox.db} (its {@code seq} is the outbox's sequence number) and reaches the broker only
 * through an {@link OutboxDrainer} (QoS 1, in order, bounded in-flight window, deleted after PUBACK). The same
 * database keeps the agent's checkpoints: the Lamport clock, the HLC and the birth sequence number are restored at
 * start and saved as <em>reservations</em> (a bound above every value that will be issued before the next save), so a
 * crash at any moment never lets a restarted agent reuse a value.
 *
 * <p>Use: {@link #open} before the MQTT session is built (it supplies the restored logical clocks and the first birth
 * number), {@link #start} once the session exists, {@link #close} after the session is closed.
 */
final class Delivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Delivery.class);

    static final String OUTBOX_FILE = "outbox.db";
    /** Checkpoint of the birth sequence number (a reservation: every birth number used is at most this). */
    static final String BIRTH_SEQ = "agent.birth-seq";
    /** Lamport ticks reserved ahead: far more than an agent issues between two checkpoints. */
    static final long LAMPORT_MARGIN = 1_000_000;
    /** HLC wall time reserved ahead of the latest HLC timestamp. */
    static final Duration HLC_MARGIN = Duration.ofSeconds(3);
    /** Birth numbers (one per connect attempt) reserved ahead. */
    static final long BIRTH_MARGIN = 1_000;
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    /** Below Mosquitto's default receive maximum (20), which Paho enforces: a larger window fails publishes at once. */
    static final int WINDOW = 16;
    /** Room the outbox leaves under the broker's receive maximum for the session's other QoS 1 publishes. */
    static final int RESERVED_IN_FLIGHT = 4;
    private static final Duration RESERVE_TIMEOUT = Duration.ofSeconds(10);

    private final String device;
    private final Outbox outbox;
    private final CheckpointStore checkpoints;
    private final LogicalClocks clocks;
    private final InstantSource hlcPhysical;
    private final long firstBirthSeq;
    private final AtomicLong appendFailures = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private long lamportReserved;
    private long hlcReservedWall;
    private long birthReserved;
    private volatile OutboxDrainer drainer;
    private ScheduledFuture<?> checkpointTask;
    private volatile boolean closed;

    private Delivery(String device, Outbox outbox, InstantSource physical, long birthFloor) {
        this.device = device;
        this.outbox = outbox;
        this.checkpoints = outbox.checkpoints();
        this.hlcPhysical = physical;
        long lamport = checkpoints.load(CheckpointStore.LAMPORT).map(Checkpoint::number).orElse(0L);
        HlcTimestamp hlc = checkpoints.load(CheckpointStore.HLC).map(c -> parseHlc(c.text())).orElse(HlcTimestamp.ZERO);
        long birth = checkpoints.load(BIRTH_SEQ).map(Checkpoint::number).orElse(0L);
        this.clocks = new LogicalClocks(new LamportClock(lamport),
                new HybridLogicalClock(physical, HybridLogicalClock.DEFAULT_MAX_FORWARD_DRIFT, hlc));
        this.firstBirthSeq = Math.max(birth + 1, birthFloor);
        this.lamportReserved = lamport;
        this.hlcReservedWall = hlc.wallMillis();
        this.birthReserved = firstBirthSeq - 1;
        if (!reserve(firstBirthSeq - 1).join()) {
            log.warn("{}: checkpoints not on disk (outbox degraded): a crash now could reuse logical clock values",
                    device);
        }
        log.info("{}: restored lamport {}, hlc {}, next birth {}; outbox depth {}, next seq {}", device, lamport, hlc,
                firstBirthSeq, outbox.status().depth(), outbox.status().nextSeq());
    }

    /** Opens the outbox of {@code config} and restores the checkpoints; nothing is published yet. */
    static Delivery open(AgentConfig config, InstantSource clock, InstantSource hlcPhysical, long birthFloor) {
        return open(config, clock, hlcPhysical, birthFloor, null, null);
    }

    /**
     * As above, the outbox's writer thread from {@code writerThreads} (null: the outbox's default) and the outbox in
     * the device's partition of {@code shared} (null: {@code outbox.db} in the state folder).
     */
    static Delivery open(AgentConfig config, InstantSource clock, InstantSource hlcPhysical, long birthFloor,
            java.util.concurrent.ThreadFactory writerThreads, SharedOutboxFile shared) {
        AgentConfig.OutboxSettings settings = config.outbox();
        OutboxConfig.Builder builder = OutboxConfig.builder(outboxFile(config));
        if (writerThreads != null) {
            builder.writerThreads(writerThreads);
        }
        if (shared != null) {
            builder.partitionOf(shared, config.id());
        }
        Outbox outbox = Outbox.open(builder.clock(clock)
                .maxEntries(settings.maxEntries()).maxBytes(settings.maxBytes()).durability(settings.durability())
                .cacheKiB((int) (settings.cacheBytes() / 1024))
                .build());
        try {
            return new Delivery(config.id(), outbox, hlcPhysical, birthFloor);
        } catch (RuntimeException e) {
            outbox.close();
            throw e;
        }
    }

    static Path outboxFile(AgentConfig config) {
        return config.stateDir().resolve(OUTBOX_FILE);
    }

    private static HlcTimestamp parseHlc(String text) {
        try {
            return HlcTimestamp.parse(text);
        } catch (IllegalArgumentException e) {
            log.warn("ignoring unreadable HLC checkpoint: {}", e.getMessage());
            return HlcTimestamp.ZERO;
        }
    }

    /** The logical clocks restored from the checkpoint; the session stamps every message with them. */
    LogicalClocks logicalClocks() {
        return clocks;
    }

    /** Above every birth number an earlier run can have used, and at least the floor given to {@link #open}. */
    long firstBirthSeq() {
        return firstBirthSeq;
    }

    /** Where the clock synchronisation keeps its state too ({@link CheckpointStore#FREQUENCY}). */
    CheckpointStore checkpoints() {
        return checkpoints;
    }

    /**
     * Starts draining the outbox through {@code session} and checkpointing every second.
     *
     * @param currentBirthSeq the birth number of the current session (−1 before the first connect)
     */
    synchronized void start(MqttSession session, ScheduledExecutorService scheduler, RandomGenerator random,
            LongSupplier currentBirthSeq) {
        DrainerConfig drainerConfig = DrainerConfig.defaults().withWindow(WINDOW)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(10), 0.2, random);
        drainer = OutboxDrainer.start(outbox, new OutboxDrainer.Publisher() {
            @Override
            public CompletableFuture<Void> publish(OutboxEntry entry) {
                return session.publish(Outgoing.of(entry.topic(), entry.payload(), entry.qos()))
                        .exceptionallyCompose(Delivery::classify);
            }

            @Override
            public int windowLimit() { // a broker taking fewer than WINDOW (HiveMQ's default is 10) still gets all
                return session.serverReceiveMaximum() - RESERVED_IN_FLIGHT;
            }
        }, scheduler, drainerConfig);
        session.addConnectionListener(new ConnectionListener() {
            @Override
            public void connected(String serverUri, boolean sessionPresent) {
                drainer.connectionRestored(); // skip the rest of any backoff: the oldest entries go first
            }

            @Override
            public void disconnected(Throwable cause) {
                // publishes fail while disconnected; the drainer backs off and re-sends from the oldest entry
            }
        });
        long every = CHECKPOINT_INTERVAL.toMillis();
        checkpointTask = scheduler.scheduleAtFixedRate(() -> {
            try {
                reserve(currentBirthSeq.getAsLong());
            } catch (RuntimeException e) {
                log.warn("{}: checkpoint failed: {}", device, e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * MQTT 5 reason codes (and Paho's own) that refuse a publish for good: re-sending the same entry cannot help, so
     * the drainer dead-letters it and goes on. 0x87 not authorized (an ACL), 0x90 topic name invalid, 0x95 packet too
     * large, 0x97 quota exceeded, 0x99 payload format invalid; 51002 is Paho refusing a packet above the broker's
     * Maximum Packet Size (from its CONNACK) before sending it.
     */
    static final java.util.Set<Integer> PERMANENT_REFUSALS = java.util.Set.of(0x87, 0x90, 0x95, 0x97, 0x99, 51002);

    static <T> CompletableFuture<T> classify(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof MqttSessionException e && PERMANENT_REFUSALS.contains(e.reasonCode())) {
            return CompletableFuture.failedFuture(new OutboxDrainer.Refused(e.getMessage(), e.reasonCode(), e));
        }
        return CompletableFuture.failedFuture(cause);
    }

    /** Appends a telemetry sample; its payload is built from the sequence number the outbox assigns. Never waits. */
    CompletableFuture<Receipt> telemetry(String topic, LongFunction<byte[]> payload) {
        return append(NewEntry.telemetry(topic, payload));
    }

    /** Appends an event (kept by the overflow policy while any telemetry can be dropped instead). Never waits. */
    CompletableFuture<Receipt> event(String topic, LongFunction<byte[]> payload) {
        return append(NewEntry.event(topic, payload));
    }

    private CompletableFuture<Receipt> append(NewEntry entry) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException(device + ": agent stopped"));
        }
        CompletableFuture<Receipt> receipt;
        try {
            receipt = outbox.appendAsync(entry);
        } catch (RuntimeException e) {
            receipt = CompletableFuture.failedFuture(e);
        }
        return receipt.whenComplete((ok, e) -> {
            if (e != null) {
                appendFailures.incrementAndGet();
                lastError.set("outbox append: " + e.getMessage());
                log.warn("{}: outbox append to {} failed: {}", device, entry.topic(), e.toString());
            }
        });
    }

    /** Saves a new reservation for each value that came within half a margin of its last one. */
    private synchronized CompletableFuture<Boolean> reserve(long birthSeq) {
        CompletableFuture<Boolean> all = CompletableFuture.completedFuture(true);
        long lamport = clocks.lamport().current();
        if (lamport + LAMPORT_MARGIN / 2 > lamportReserved) {
            lamportReserved = lamport + LAMPORT_MARGIN;
            all = and(all, checkpoints.save(CheckpointStore.LAMPORT, lamportReserved, Long.toString(lamportReserved)));
        }
        long wall = Math.max(clocks.hlc().current().wallMillis(), hlcPhysical.millis());
        if (wall + HLC_MARGIN.toMillis() / 2 > hlcReservedWall) {
            hlcReservedWall = wall + HLC_MARGIN.toMillis();
            all = and(all, checkpoints.save(CheckpointStore.HLC, hlcReservedWall,
                    new HlcTimestamp(hlcReservedWall, 0).toString()));
        }
        if (birthSeq + BIRTH_MARGIN / 2 > birthReserved) {
            birthReserved = Math.max(birthSeq, firstBirthSeq) + BIRTH_MARGIN;
            all = and(all, checkpoints.save(BIRTH_SEQ, birthReserved, Long.toString(birthReserved)));
        }
        return all.completeOnTimeout(false, RESERVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static CompletableFuture<Boolean> and(CompletableFuture<Boolean> a, CompletableFuture<Boolean> b) {
        return a.thenCombine(b, Boolean::logicalAnd);
    }

    OutboxStatus status() {
        return outbox.status();
    }

    DrainerStats drainerStats() {
        OutboxDrainer d = drainer;
        return d == null ? new DrainerStats(0, 0, 0, 0, false) : d.stats();
    }

    /** For the heartbeat: undelivered entries and everything the overflow policy ever dropped. */
    Heartbeat.OutboxStatus heartbeatStatus() {
        OutboxStatus s = outbox.status();
        return new Heartbeat.OutboxStatus(s.depth(), s.dropped());
    }

    /** {@code outbox: …} while the disk refuses writes (appends then go to the bounded memory buffer). */
    List<String> degraded() {
        OutboxStatus s = outbox.status();
        List<String> lines = new java.util.ArrayList<>();
        if (s.health() instanceof StorageHealth.Degraded d) {
            lines.add("outbox: " + d.reason() + " (since " + d.since() + ")");
        }
        if (s.rejected() > 0) {
            lines.add("outbox: " + s.rejected() + " refused by the broker for good (see the dead_letter table)");
        }
        return List.copyOf(lines);
    }

    long appendFailures() {
        return appendFailures.get();
    }

    String lastError() {
        return lastError.get();
    }

    /** Stops draining and closes the outbox; undelivered entries stay on disk for the next start. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (checkpointTask != null) {
            checkpointTask.cancel(false);
        }
        if (drainer != null) {
            drainer.close();
        }
        OutboxStatus s = outbox.status();
        outbox.close();
        log.info("{}: outbox closed with {} undelivered (next seq {}, {} dropped)", device, s.depth(), s.nextSeq(),
                s.dropped());
    }
}
