package dev.edgekit.agent.runtime;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.time.BerkeleyMaster;
import dev.edgekit.time.BerkeleyMember;
import dev.edgekit.time.DeviceClock;
import dev.edgekit.time.DisciplinedClock;
import dev.edgekit.time.DriftFile;
import dev.edgekit.time.FrequencyEstimate;
import dev.edgekit.time.ServerInfo;
import dev.edgekit.time.SyncMode;
import dev.edgekit.time.SyncStatus;
import dev.edgekit.time.TimeClient;
import dev.edgekit.time.TimeServer;
import dev.edgekit.time.TimeSync;
import dev.edgekit.time.TimeSyncConfig;
import dev.edgekit.time.TimeTopics;
import dev.edgekit.protocol.message.Heartbeat;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Subscription;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import dev.edgekit.protocol.message.Codec;
import dev.edgekit.protocol.topic.TopicKind;
import dev.edgekit.protocol.topic.Topics;
import dev.edgekit.ubiquitous.detect.DetectorConfig;
import dev.edgekit.ubiquitous.detect.LivenessMonitor;
import dev.edgekit.ubiquitous.election.Election;
import dev.edgekit.ubiquitous.election.ElectionConfig;
import dev.edgekit.ubiquitous.election.ElectionTransport;
import dev.edgekit.ubiquitous.registry.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's time roles, as its {@code time:} config says: a {@link TimeClient} (ntp, cristian, bounded) with its
 * drift file, a {@link TimeServer} ({@code serve: true}), or a Berkeley member that acts as master while the bully
 * {@link Election} (over MQTT, driven by a phi-accrual {@link LivenessMonitor} of the site's heartbeats) says it leads;
 * the master's round takes the announced members the detector still believes alive. Also what the heartbeat
 * says about the clock ({@link #clockStatus()}). The agent's session must be built with {@code .clock(device)} — the
 * raw device clock under {@link #clock()} — so arrival stamps are device time (see {@link TimeClient}).
 */
public final class TimeService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TimeService.class);
    /** How well a {@code reference: true} host clock is believed (a host disciplined by chrony on a LAN). */
    static final Duration REFERENCE_CLAIMED_ERROR = Duration.ofMillis(1);
    private static final Duration HOUSEKEEPING = Duration.ofSeconds(5);
    private static final int DRIFT_SAVE_EVERY = 12; // housekeeping turns: once a minute

    private final AgentConfig.TimeConfig config;
    private final MqttSession session;
    private final String site;
    private final String selfId;
    private final DisciplinedClock clock;
    private final DriftFile driftFile;
    private final ScheduledExecutorService scheduler;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final Set<String> berkeleyMembers = new ConcurrentSkipListSet<>();
    private TimeSync sync;
    private TimeClient client;
    private TimeServer server;
    private dev.edgekit.time.ntp.NtpServer ntpServer; // time.ntpPort
    private dev.edgekit.time.chrony.ChronyFeed chronyFeed; // time.chrony
    private BerkeleyMember member;
    private BerkeleyMaster master;
    private Subscription membership;
    // the master comes from the election, membership from liveness
    private final Duration heartbeat;
    private final List<Subscription> presenceSubscriptions = new ArrayList<>();
    private LivenessMonitor liveness;
    private Election election;
    private int turns;
    private volatile boolean closed;

    private TimeService(AgentConfig.TimeConfig config, MqttSession session, String site, String selfId,
                        DisciplinedClock clock, Path stateDir, ScheduledExecutorService scheduler, Duration heartbeat) {
        this.heartbeat = Objects.requireNonNull(heartbeat);
        this.config = Objects.requireNonNull(config);
        this.session = Objects.requireNonNull(session);
        this.site = site;
        this.selfId = selfId;
        this.clock = Objects.requireNonNull(clock);
        this.driftFile = new DriftFile(stateDir.resolve(config.driftFile()));
        this.scheduler = Objects.requireNonNull(scheduler);
    }

    /** The clock an agent with this config keeps over its device clock: a reference (stratum 1) or a disciplined one. */
    public static DisciplinedClock clockFor(AgentConfig.TimeConfig config, DeviceClock device) {
        return config.reference() ? DisciplinedClock.reference(device, REFERENCE_CLAIMED_ERROR) : DisciplinedClock.over(device);
    }

    public static TimeService create(AgentConfig.TimeConfig config, MqttSession session, String site, String selfId,
                                     DisciplinedClock clock, Path stateDir, ScheduledExecutorService scheduler) {
        return create(config, session, site, selfId, clock, stateDir, scheduler, Duration.ofSeconds(5));
    }

    /** With the agents' heartbeat interval, which times the Berkeley master election. */
    public static TimeService create(AgentConfig.TimeConfig config, MqttSession session, String site, String selfId,
                                     DisciplinedClock clock, Path stateDir, ScheduledExecutorService scheduler,
                                     Duration heartbeat) {
        return new TimeService(config, session, site, selfId, clock, stateDir, scheduler, heartbeat);
    }

    /** Starts the configured roles; call before or after the session connects. */
    public synchronized void start() {
        if (config.serve()) {
            server = TimeServer.start(session, site, selfId, clock);
        }
        startNtpAndChrony();
        switch (config.mode()) {
            case NONE -> { }
            case NTP, CRISTIAN, BOUNDED -> {
                if (config.reference()) {
                    log.info("{}: reference clock: not polling time servers", selfId);
                } else {
                    startClient();
                }
            }
            case BERKELEY -> startBerkeley();
        }
        long every = HOUSEKEEPING.toMillis();
        tasks.add(scheduler.scheduleWithFixedDelay(this::housekeeping, every, every, TimeUnit.MILLISECONDS));
    }

    // the NTP server (time.ntpPort) and the chrony refclock feed (time.chrony)
    private void startNtpAndChrony() {
        if (config.serve() && config.ntpPort() != null) {
            try {
                ntpServer = dev.edgekit.time.ntp.NtpServer.start(clock, dev.edgekit.time.ntp.NtpServerConfig.on(
                        new java.net.InetSocketAddress(0).getAddress(), config.ntpPort()));
            } catch (IOException e) {
                log.error("{}: time.ntpPort: {}; not serving NTP", selfId, e.getMessage()); // the agent carries on
            }
        }
        AgentConfig.Chrony chrony = config.chrony();
        if (chrony != null) {
            chronyFeed = new dev.edgekit.time.chrony.ChronyFeed(clock, chrony.socket(), chrony.maxErrorBound());
            long every = chrony.interval().toMillis();
            tasks.add(scheduler.scheduleWithFixedDelay(this::feedChrony, every, every, TimeUnit.MILLISECONDS));
        }
    }

    private void feedChrony() {
        try {
            chronyFeed.offer();
        } catch (RuntimeException e) {
            log.warn("{}: chrony feed failed: {}", selfId, e.toString());
        }
    }

    /** How often this agent polls its time servers, when it is a time client (ntp, cristian, bounded). */
    public synchronized Optional<dev.edgekit.time.PollRange> pollRange() {
        return Optional.ofNullable(sync).map(TimeSync::pollRange);
    }

    /**
     * Polls within {@code range} from now on (the shadow's remote configuration; {@code agent.yaml} is not changed).
     *
     * @throws IllegalStateException when this agent is not a time client
     */
    public synchronized void pollRange(dev.edgekit.time.PollRange range) {
        if (client == null) {
            throw new IllegalStateException("this agent does not poll a time server (time.mode: "
                    + config.mode().name().toLowerCase(Locale.ROOT) + ")");
        }
        client.pollRange(range);
    }

    /**
     * Polls the time servers now (the {@code sync} command): how many start a burst (0 when each is in one already),
     * or empty when this agent is not a time client.
     */
    public synchronized java.util.OptionalInt pollNow() {
        return client == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(client.pollNow());
    }

    /** The NTP server, when {@code time.ntpPort} is set and its port could be bound. */
    public Optional<dev.edgekit.time.ntp.NtpServer> ntpServer() {
        return Optional.ofNullable(ntpServer);
    }

    /** The chrony refclock feed, when {@code time.chrony} is set. */
    public Optional<dev.edgekit.time.chrony.ChronyFeed> chronyFeed() {
        return Optional.ofNullable(chronyFeed);
    }

    private Heartbeat.ClockStatus withNtpAndChrony(Heartbeat.ClockStatus status) {
        if (ntpServer == null && chronyFeed == null) return status;
        Heartbeat.NtpCounts ntp = null;
        if (ntpServer != null) {
            var st = ntpServer.stats();
            ntp = new Heartbeat.NtpCounts(st.served(), st.kissed(), st.droppedTotal());
        }
        return status.withTimeServices(chronyFeed == null ? null : chronyFeed.status().detail(), ntp);
    }

    private void startClient() {
        SyncMode mode = switch (config.mode()) {
            case CRISTIAN -> new SyncMode.Cristian();
            case BOUNDED -> new SyncMode.Bounded(config.minTransit(), config.maxTransit());
            default -> new SyncMode.Ntp();
        };
        TimeSyncConfig syncConfig = TimeSyncConfig.builder(selfId, config.servers()).mode(mode)
                .minPoll(config.minPoll()).maxPoll(config.maxPoll()).build();
        Optional<FrequencyEstimate> prior = driftFile.load();
        prior.ifPresent(p -> log.info("{}: starting from the drift file: {} ppm ± {}", selfId, p.driftPpm(), p.tolerancePpm()));
        sync = TimeSync.create(syncConfig, clock, prior);
        client = TimeClient.start(session, site, selfId, sync, syncConfig, scheduler, true, null);
    }

    private void startBerkeley() {
        member = BerkeleyMember.start(session, site, selfId, clock);
        master = new BerkeleyMaster(session, site, selfId, clock, config.berkeleyTolerance(), Duration.ofSeconds(2), 3,
                member);
        membership = session.subscribe(TimeTopics.members(site), 1, this::onMembership);
        startElection();
        long period = config.berkeleyPeriod().toMillis();
        tasks.add(scheduler.scheduleWithFixedDelay(this::berkeleyTurn, period, period, TimeUnit.MILLISECONDS));
    }

    private void onMembership(Inbound in) {
        String id = in.topic().substring(in.topic().lastIndexOf('/') + 1);
        if (in.payload().length == 0) berkeleyMembers.remove(id);
        else berkeleyMembers.add(id);
    }

    // master from the election, members from liveness
    private void startElection() {
        // the site's births, Wills and heartbeats (not telemetry) feed a failure detector on the raw device clock
        Registry registry = new Registry(clock.device(), new Codec());
        presenceSubscriptions.add(session.subscribe(Topics.filter(site, TopicKind.STATE), 1, registry::accept));
        presenceSubscriptions.add(session.subscribe(Topics.filter(site, TopicKind.HEARTBEAT), 0, registry::accept));
        liveness = LivenessMonitor.attach(registry, DetectorConfig.phiAccrual().withFirstHeartbeatEstimate(heartbeat));
        tasks.add(liveness.schedule(scheduler, clock.device(), Duration.ofMillis(100)));
        election = Election.create(selfId, site, ElectionTransport.mqtt(session, site), liveness, clock.device(),
                scheduler, ElectionConfig.forHeartbeat(heartbeat));
        election.addListener((leader, self) -> log.info("{}: Berkeley master is now {}{}", selfId,
                leader.orElse("(electing)"), self ? " (this agent)" : ""));
        election.start();
    }

    /** The Berkeley master election, in {@code berkeley} mode. */
    public Optional<Election> election() {
        return Optional.ofNullable(election);
    }

    /** The announced members the failure detector believes alive (this agent always); a crashed one leaves. */
    private List<String> liveMembers() {
        var now = clock.device().instant();
        return berkeleyMembers.stream().filter(m -> m.equals(selfId) || liveness.liveness(site, m, now).alive())
                .toList();
    }

    private void berkeleyTurn() {
        if (closed || !session.isConnected() || berkeleyMembers.isEmpty() || !election.isLeader()) return;
        List<String> online = liveMembers();
        master.runRound(online).whenComplete((outcome, e) -> {
            if (e != null) log.warn("{}: Berkeley round failed: {}", selfId, e.toString());
        });
    }

    private void housekeeping() {
        try {
            if (server != null) server.refreshAnnouncement();
            if (sync != null && ++turns % DRIFT_SAVE_EVERY == 0) saveDrift();
        } catch (RuntimeException e) {
            log.warn("{}: time housekeeping failed: {}", selfId, e.toString());
        }
    }

    private void saveDrift() {
        sync.frequencyEstimate().ifPresent(f -> {
            try {
                driftFile.save(f);
            } catch (IOException e) {
                log.warn("{}: cannot write drift file {}: {}", selfId, driftFile.path(), e.toString());
            }
        });
    }

    public DisciplinedClock clock() {
        return clock;
    }

    /** The client's synchronisation state, when this agent polls time servers. */
    public Optional<SyncStatus> syncStatus() {
        return Optional.ofNullable(sync).map(TimeSync::status);
    }

    /** The client's engine (rejection counters, …), when this agent polls time servers. */
    public Optional<TimeSync> sync() {
        return Optional.ofNullable(sync);
    }

    public Optional<TimeServer> server() {
        return Optional.ofNullable(server);
    }

    /** What the heartbeat reports: offset at the last correction, error bound now, stratum, source, mode, frequency. */
    public Heartbeat.ClockStatus clockStatus() {
        String mode = config.reference() && config.mode() != AgentConfig.TimeMode.BERKELEY ? "reference"
                : config.mode().name().toLowerCase(Locale.ROOT);
        DisciplinedClock.Reading reading = clock.read();
        if (!clock.synchronised()) {
            return withNtpAndChrony(new Heartbeat.ClockStatus(0, Double.POSITIVE_INFINITY, 0, null, mode, 0));
        }
        int stratum = clock.stratum() >= ServerInfo.UNSYNCHRONISED ? 0 : clock.stratum();
        return withNtpAndChrony(new Heartbeat.ClockStatus(clock.lastOffset().toNanos() / 1e3, reading.errorBoundNanos() / 1e3, stratum,
                clock.selectedServer().orElse(null), mode, clock.frequency().driftPpm()));
    }

    /** Stops the roles, saves the frequency estimate, clears retained announcements. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        tasks.forEach(t -> t.cancel(false));
        if (client != null) {
            client.close();
            saveDrift();
        }
        if (membership != null) membership.cancel();
        if (election != null) election.close();
        presenceSubscriptions.forEach(Subscription::cancel);
        if (member != null) member.close();
        if (server != null) server.close();
        if (ntpServer != null) ntpServer.close();
        if (chronyFeed != null) chronyFeed.close();
    }
}
