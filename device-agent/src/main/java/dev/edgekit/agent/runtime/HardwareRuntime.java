package dev.edgekit.agent.runtime;

import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.hardware.Board;
import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.mqtt.Subscription;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The board inside the agent: sampling ({@link Sampler}), hardware events ({@link HardwareEvents}), commands
 * ({@link CommandHandler}), and what goes into the birth certificate and heartbeat. When the set of degraded devices
 * changes (a sensor fails or recovers), it calls {@code healthChanged} so the agent republishes its retained birth.
 * Owns the board and closes it.
 */
final class HardwareRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HardwareRuntime.class);

    private final String id;
    private final Board board;
    private final Sampler sampler;
    private final HardwareEvents events;
    private final Outputs outputs;
    private final CommandHandler commands;
    private final Runnable healthChanged;
    private List<String> reported;
    private boolean closed;
    private AutoCloseable listener;
    private Subscription subscription;
    private Subscription plainSubscription;

    HardwareRuntime(String site, String id, Board board, HardwareConfig config, InstantSource clock,
            ScheduledExecutorService scheduler, DataSink sink, Runnable healthChanged) {
        this(site, id, board, config, clock, scheduler, sink, healthChanged, new AgentListener() { },
                OneShotCommands.Target.bare(clock));
    }

    /** With {@code listener} told of every output change, and the one-shot commands acting on {@code agent}. */
    HardwareRuntime(String site, String id, Board board, HardwareConfig config, InstantSource clock,
            ScheduledExecutorService scheduler, DataSink sink, Runnable healthChanged, AgentListener listener,
            OneShotCommands.Target agent) {
        this.id = id;
        this.board = Objects.requireNonNull(board, "board");
        this.healthChanged = healthChanged;
        this.events = new HardwareEvents(sink, clock);
        this.outputs = new Outputs(board, listener, scheduler);
        this.commands = new CommandHandler(site, id, outputs, agent);
        this.sampler = new Sampler(board, config, scheduler, clock, sink, this::checkHealth);
        this.reported = BoardReport.degraded(board.health());
        if (!reported.isEmpty()) {
            log.warn("{}: hardware degraded: {}", id, reported);
        }
    }

    /** Listens for hardware events, subscribes to this device's commands, and starts sampling. */
    synchronized void start(MqttSession session) {
        listener = board.addListener(events);
        subscription = session.subscribe(commands.filter(), 1, request -> commands.handle(request, session));
        plainSubscription = session.subscribe(commands.plainFilter(), 1, commands::handlePlain);
        sampler.start();
    }

    /** Samples every sensor at {@code every} from now on (the shadow's {@code config.sampling}). */
    void samplingInterval(java.time.Duration every) {
        sampler.reschedule(every);
    }

    boolean samplingOverridden() {
        return sampler.overridden() != null;
    }

    /** The sampling interval in force: the remote one, else the configuration's default. */
    java.time.Duration samplingInterval(HardwareConfig config) {
        java.time.Duration remote = sampler.overridden();
        return remote != null ? remote : config.interval();
    }

    /** Every sensor channel, in config order, with whether it is sampled. */
    java.util.Map<String, Boolean> channels() {
        java.util.Map<String, Boolean> channels = new java.util.LinkedHashMap<>();
        for (dev.edgekit.hardware.Sensor sensor : board.sensors()) {
            for (dev.edgekit.hardware.Channel channel : sensor.channels()) {
                channels.put(channel.name(), sampler.enabled(channel.name()));
            }
        }
        return channels;
    }

    /** Turns one channel's telemetry on or off; an unknown channel is an {@link IllegalArgumentException}. */
    void channelEnabled(String channel, boolean enabled) {
        if (!channels().containsKey(channel)) {
            throw new IllegalArgumentException("no channel named '" + channel + "' on this device");
        }
        sampler.enable(channel, enabled);
    }

    /** The one path to the outputs (commands, plain topics, the shadow). */
    Outputs outputs() {
        return outputs;
    }

    List<Capability> capabilities() {
        List<Capability> all = new java.util.ArrayList<>(BoardReport.capabilities(board));
        commands.oneShots(outputs.states()).forEach(name -> all.add(Capability.command(name)));
        return all;
    }

    Birth.Board boardInfo() {
        return BoardReport.board(board.info());
    }

    /** The degraded devices for a birth certificate; remembered as what consumers have been told. */
    synchronized List<String> degradedForBirth() {
        reported = BoardReport.degraded(board.health());
        return reported;
    }

    /** The degraded devices now, for a heartbeat. */
    List<String> degraded() {
        return BoardReport.degraded(board.health());
    }

    /** Calls {@code healthChanged} when the degraded devices differ from what the last birth said. */
    void checkHealth() {
        List<String> now = degraded();
        synchronized (this) {
            if (now.equals(reported)) {
                return;
            }
            reported = now;
        }
        log.info("{}: hardware health changed: {}", id, now.isEmpty() ? "all devices working" : now);
        healthChanged.run();
    }

    /** Commands refused or not answered, by cause, for the heartbeat's {@code refused} block. */
    java.util.Map<String, Long> refusals() {
        return java.util.Map.of("badCommands", commands.rejected(), "noResponseTopic", commands.unanswerable(),
                "misdirected", commands.misdirected(), "busy", commands.busy(), "undelivered", commands.undelivered());
    }

    HardwareStatus status() {
        return new HardwareStatus(sampler.readings(), sampler.failures(), events.published(), commands.ok(),
                commands.rejected(), commands.unanswerable(), degraded());
    }

    @Override
    public void close() {
        // not under this object's lock: a sample in progress ends in checkHealth, which takes it, and sampler.close
        // waits for that sample (a stop deadlocked that way in AgentHardwareIT and under SIGTERM in NoDataLostIT)
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        sampler.close();
        outputs.close();
        if (subscription != null) {
            subscription.cancel();
            plainSubscription.cancel();
        }
        if (listener != null) {
            try {
                listener.close();
            } catch (Exception e) {
                log.debug("{}: removing the hardware listener: {}", id, e.toString());
            }
        }
        board.close();
    }
}
