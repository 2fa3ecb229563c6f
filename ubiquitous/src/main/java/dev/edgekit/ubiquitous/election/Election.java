package dev.edgekit.ubiquitous.election;

import dev.edgekit.protocol.topic.Ids;
import dev.edgekit.ubiquitous.detect.Liveness;
import dev.edgekit.ubiquitous.detect.LivenessMonitor;
import dev.edgekit.ubiquitous.detect.Transition;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bully algorithm (Garcia-Molina 1982) for the Berkeley time master, driven by the failure detector.
 *
 * <ul>
 *   <li>A member calls an election when it starts, when the leader it follows is judged suspect, lost or offline by
 *       its {@link LivenessMonitor}, and when it hears a coordinator it outranks.</li>
 *   <li>A member that outranks the caller answers and calls its own election; a caller that hears no answer within
 *       {@code answerTimeout} becomes leader and says so (coordinator), then repeats that every
 *       {@code announceInterval}.</li>
 *   <li>A leader that hears a coordinator outranking it steps down at once; one that hears a lower coordinator
 *       re-asserts itself. So after a partition heals two leaders act for at most one announce interval.</li>
 * </ul>
 *
 * <p>Users (the Berkeley master) ask {@link #isLeader()} / {@link #currentLeader()} or listen with
 * {@link #addListener}. All state changes run serialised on the given scheduler; the class is thread-safe.
 */
public final class Election implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Election.class);

    /** Told whenever the leader this member follows changes; empty while an election is running. */
    @FunctionalInterface
    public interface LeaderListener {
        void leaderChanged(Optional<String> leader, boolean self);
    }

    private enum Phase { IDLE, CALLING, AWAITING_COORDINATOR }

    private final String self;
    private final ElectionTransport transport;
    private final Predicate<String> alive;
    private final ScheduledExecutorService scheduler;
    private final ElectionConfig config;
    private final List<LeaderListener> listeners = new CopyOnWriteArrayList<>();

    private Phase phase = Phase.IDLE;
    private volatile String leader;
    private long round;
    private long elections;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> announcer;
    private boolean closed;

    private Election(String self, ElectionTransport transport, Predicate<String> alive,
            ScheduledExecutorService scheduler, ElectionConfig config) {
        this.self = Ids.require(self, "self");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.alive = Objects.requireNonNull(alive, "alive");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * An election for member {@code self}, whose view of the others comes from {@code monitor} (site {@code site}):
     * the leader's transitions to suspect, lost or offline start a new election.
     */
    public static Election create(String self, String site, ElectionTransport transport, LivenessMonitor monitor,
            InstantSource clock, ScheduledExecutorService scheduler, ElectionConfig config) {
        Election election = new Election(self, transport, id -> monitor.liveness(site, id, clock.instant()).alive(),
                scheduler, config);
        monitor.addListener(t -> {
            if (t.site().equals(site)) {
                election.memberChanged(t);
            }
        });
        return election;
    }

    /** An election whose membership view is any predicate (for tests and for users with their own detector). */
    public static Election create(String self, ElectionTransport transport, Predicate<String> alive,
            ScheduledExecutorService scheduler, ElectionConfig config) {
        return new Election(self, transport, alive, scheduler, config);
    }

    /** Starts listening and calls the first election. */
    public Election start() {
        transport.receive(m -> scheduler.execute(() -> onMessage(m)));
        scheduler.execute(() -> call("start"));
        return this;
    }

    public String self() {
        return self;
    }

    /** The leader this member follows (possibly itself), or empty while an election is running. */
    public Optional<String> currentLeader() {
        return Optional.ofNullable(leader);
    }

    /** Whether this member believes it is the leader and should act as the time master. */
    public boolean isLeader() {
        return self.equals(leader);
    }

    /** Elections this member has called. */
    public synchronized long electionsCalled() {
        return elections;
    }

    public void addListener(LeaderListener listener) {
        listeners.add(listener);
    }

    /** A member changed state in the failure detector's view. */
    public void memberChanged(Transition transition) {
        scheduler.execute(() -> onMemberChanged(transition.id(), transition.to()));
    }

    private synchronized void onMemberChanged(String id, Liveness state) {
        if (closed || state.alive() || !id.equals(leader) || id.equals(self)) {
            return;
        }
        log.info("{}: leader {} is {}: calling an election", self, id, state.wire());
        setLeader(null);
        call("leader " + state.wire());
    }

    private boolean outranks(String a, String b) {
        return config.rank().compare(a, b) < 0;
    }

    private synchronized void call(String why) {
        if (closed || phase != Phase.IDLE || isLeader()) {
            return;
        }
        phase = Phase.CALLING;
        long r = ++round;
        elections++;
        log.debug("{}: calling election {} ({})", self, r, why);
        transport.send(new ElectionMessage.Call(self, r));
        restartTimer(config.answerTimeout().toNanos(), () -> {
            if (phase == Phase.CALLING && round == r) {
                becomeLeader();
            }
        });
    }

    private void becomeLeader() {
        phase = Phase.IDLE;
        cancelTimer();
        setLeader(self);
        transport.send(new ElectionMessage.Coordinator(self, round));
        if (announcer == null) {
            long every = config.announceInterval().toNanos();
            announcer = scheduler.scheduleAtFixedRate(this::announce, every, every, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void announce() {
        if (!closed && isLeader()) {
            transport.send(new ElectionMessage.Coordinator(self, round));
        }
    }

    private synchronized void onMessage(ElectionMessage message) {
        if (closed || message.from().equals(self)) {
            return;
        }
        switch (message) {
            case ElectionMessage.Call c -> {
                if (outranks(self, c.from())) {
                    transport.send(new ElectionMessage.Answer(self, c.from(), c.round()));
                    if (isLeader()) {
                        transport.send(new ElectionMessage.Coordinator(self, round));
                    } else {
                        call("answered " + c.from());
                    }
                }
            }
            case ElectionMessage.Answer a -> {
                if (a.to().equals(self) && phase == Phase.CALLING) {
                    phase = Phase.AWAITING_COORDINATOR;
                    long r = round;
                    restartTimer(config.coordinatorTimeout().toNanos(), () -> {
                        if (phase == Phase.AWAITING_COORDINATOR && round == r) {
                            phase = Phase.IDLE;
                            call("no coordinator after answer");
                        }
                    });
                }
            }
            case ElectionMessage.Coordinator c -> {
                if (outranks(c.from(), self)) {
                    phase = Phase.IDLE;
                    cancelTimer();
                    if (!c.from().equals(leader)) {
                        setLeader(c.from());
                    }
                } else if (isLeader()) {
                    transport.send(new ElectionMessage.Coordinator(self, round)); // re-assert: the bully
                } else {
                    call("lower coordinator " + c.from());
                }
            }
        }
    }

    private void setLeader(String newLeader) {
        String old = leader;
        if (Objects.equals(old, newLeader)) {
            return;
        }
        leader = newLeader;
        if (newLeader != null && !alive.test(newLeader) && !newLeader.equals(self)) {
            log.debug("{}: following {} although the detector does not (yet) see it alive", self, newLeader);
        }
        log.info("{}: leader {} → {}", self, old, newLeader);
        Optional<String> now = Optional.ofNullable(newLeader);
        boolean me = self.equals(newLeader);
        for (LeaderListener listener : listeners) {
            try {
                listener.leaderChanged(now, me);
            } catch (RuntimeException e) {
                log.error("leader listener failed", e);
            }
        }
    }

    private void restartTimer(long nanos, Runnable task) {
        cancelTimer();
        timer = scheduler.schedule(() -> {
            synchronized (this) {
                if (!closed) {
                    task.run();
                }
            }
        }, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Stops taking part (a leader simply stops announcing; the others notice through the failure detector). */
    @Override
    public synchronized void close() {
        closed = true;
        cancelTimer();
        if (announcer != null) {
            announcer.cancel(false);
        }
        leader = null;
    }
}
