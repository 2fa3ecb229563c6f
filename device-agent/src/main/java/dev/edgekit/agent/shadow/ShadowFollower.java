package dev.edgekit.agent.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgekit.agent.runtime.AgentListener;
import dev.edgekit.agent.runtime.AgentPort;
import dev.edgekit.agent.runtime.Projection;
import dev.edgekit.hardware.ActuatorCommand;
import dev.edgekit.hardware.ActuatorState;
import dev.edgekit.hardware.CommandRejectedException;
import dev.edgekit.protocol.guard.RateLimitedLog;
import dev.edgekit.protocol.mqtt.ConnectionListener;
import dev.edgekit.protocol.mqtt.Inbound;
import dev.edgekit.protocol.mqtt.Outgoing;
import dev.edgekit.protocol.mqtt.Subscription;
import dev.edgekit.protocol.shadow.Desired;
import dev.edgekit.protocol.shadow.Reported;
import dev.edgekit.protocol.shadow.ShadowCodec;
import dev.edgekit.protocol.shadow.ShadowException;
import dev.edgekit.protocol.shadow.ShadowLimits;
import dev.edgekit.protocol.shadow.ShadowReconciler;
import dev.edgekit.protocol.shadow.ShadowTopics;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code shadow.enabled: true}: the device follows its shadow (docs/shadow.md). It applies each newer desired document
 * ({@link ShadowReconciler}: duplicates, reordered copies and the retained copy re-delivered at every connect never
 * re-apply or regress) and reports, retained, what it really runs, with a reason for each key it refused.
 *
 * <p>What a desired document may set: an output by its config entry name ({@code "fan": 40} for a duty cycle,
 * {@code "status": true} for on/off) and the {@code config} settings {@link RemoteConfig} lists (heartbeat, sampling,
 * enabled channels, time-sync polling), overlaid on {@code agent.yaml}: a setting the shadow does not name has the
 * file's value, and a restart starts from the file until the retained desired document arrives again. Anything else
 * is refused, with its reason.
 *
 * <p>The checkpoint (the version last applied) advances only after the broker acknowledged the report built from the
 * outputs' real states. Output changes made another way (a command) are reported too, coalesced.
 */
public final class ShadowFollower implements Projection, ConnectionListener, AgentListener {
    private static final Logger log = LoggerFactory.getLogger(ShadowFollower.class);
    /** Reports of changes made another way wait this long, so a burst of commands is one report. */
    static final Duration COALESCE = Duration.ofMillis(200);

    private final AgentPort agent;
    private final ShadowCodec codec = new ShadowCodec();
    private final ShadowCheckpoint checkpoint;
    private final ShadowReconciler reconciler;
    private final RemoteConfig remoteConfig;
    private final RateLimitedLog limitedLog = new RateLimitedLog(log, Duration.ofMinutes(1));
    private final AtomicLong refusedDocuments = new AtomicLong();
    private final AtomicLong reports = new AtomicLong();
    private Map<String, String> refused = Map.of(); // of the last applied version
    /** The desired version whose state is in effect: every report answers it, so reports never go backwards. */
    private long applied;
    /** Whether this run applied {@link #applied} itself (a restarted agent reports the file's state until it does). */
    private boolean appliedHere;
    private Subscription subscription;
    private AutoCloseable listening;
    private ScheduledFuture<?> pendingReport;

    public ShadowFollower(AgentPort agent) {
        this.agent = agent;
        this.checkpoint = new ShadowCheckpoint(agent.config().stateDir());
        long last = checkpoint.load();
        // outputs do not survive a restart: the retained copy of the version last applied is applied once more
        this.reconciler = new ShadowReconciler(Math.max(0, last - 1));
        this.applied = last;
        this.remoteConfig = new RemoteConfig(agent);
    }

    @Override
    public void start() {
        agent.session().addConnectionListener(this);
        listening = agent.listen(this);
        subscription = agent.session().subscribe(ShadowTopics.desired(agent.config().site(), agent.id()), 1,
                this::desired);
    }

    @Override
    public void connected(String serverUri, boolean sessionPresent) {
        report(); // what runs now, e.g. after a restart from the file; the retained desired follows
    }

    @Override
    public void disconnected(Throwable cause) {
    }

    @Override
    public void outputChanged(ActuatorState state) {
        synchronized (this) {
            if (pendingReport != null && !pendingReport.isDone()) {
                return;
            }
            pendingReport = agent.scheduler().schedule(this::report, COALESCE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One desired document, on the session's handler thread. */
    private void desired(Inbound in) {
        if (in.payload().length == 0) {
            return; // cleared (the device forgotten): nothing to apply
        }
        Desired desired;
        try {
            if (in.payload().length > ShadowLimits.MAX_DOCUMENT_BYTES) {
                throw new ShadowException("document of " + in.payload().length + " bytes exceeds "
                        + ShadowLimits.MAX_DOCUMENT_BYTES);
            }
            desired = codec.decodeDesired(agent.id(), in.payload());
        } catch (ShadowException e) {
            refusedDocuments.incrementAndGet();
            limitedLog.warn("bad-desired", in.receivedAt(), "{}: desired document refused: {}", agent.id(),
                    e.getMessage());
            return;
        }
        synchronized (this) {
            if (reconciler.offer(desired).isEmpty()) {
                return;
            }
            refused = apply(desired.state());
            applied = desired.version();
            appliedHere = true;
            log.info("{}: applied desired version {}{}", agent.id(), desired.version(),
                    refused.isEmpty() ? "" : ", refused " + refused);
            long version = desired.version();
            publish(version).whenComplete((ok, e) -> {
                if (e == null) {
                    handled(version);
                } else {
                    log.info("{}: report of desired version {} not acknowledged ({}); applied again at the next"
                            + " delivery", agent.id(), version, e.getMessage());
                }
            });
        }
    }

    private synchronized void handled(long version) {
        if (checkpoint.store(version)) {
            reconciler.handled(version);
        }
    }

    /** Applies every key; returns the refused ones with their reasons. */
    private Map<String, String> apply(ObjectNode state) {
        Map<String, String> refusals = new LinkedHashMap<>();
        remoteConfig.apply(state.get("config"), refusals); // also when absent: the file's settings come back
        for (Iterator<Map.Entry<String, JsonNode>> it = state.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getKey().equals("config")) {
                output(entry.getKey(), entry.getValue(), refusals);
            }
        }
        return refusals;
    }

    private void output(String name, JsonNode value, Map<String, String> refusals) {
        if (agent.outputs().stream().noneMatch(o -> o.name().equals(name))) {
            refusals.put(name, "no output or setting named '" + name + "' on this device");
            return;
        }
        ActuatorCommand command;
        if (value.isBoolean()) {
            command = new ActuatorCommand.SetOn(value.booleanValue());
        } else if (value.isIntegralNumber() && value.canConvertToInt()) {
            command = new ActuatorCommand.SetDutyCycle(value.intValue());
        } else {
            refusals.put(name, "expected true/false or a duty cycle 0..100, not " + value);
            return;
        }
        try {
            agent.command(name, command);
        } catch (CommandRejectedException e) {
            refusals.put(name, e.getMessage());
        }
    }

    /** Reports what runs now, for the version in effect (changes made another way, a connect). */
    private synchronized void report() {
        long version = applied;
        boolean ours = appliedHere;
        publish(version).whenComplete((ok, e) -> {
            if (e == null && ours) {
                handled(version); // a report of the version applied here counts, whichever published it first
            }
        });
    }

    private synchronized java.util.concurrent.CompletableFuture<Void> publish(long desiredVersion) {
        ObjectNode state = codec.emptyState();
        for (ActuatorState output : agent.outputs()) {
            if (output.kind().equals("pwm")) {
                state.put(output.name(), output.dutyCyclePercent());
            } else {
                state.put(output.name(), output.on());
            }
        }
        remoteConfig.report(state);
        Reported reported = new Reported(agent.id(), desiredVersion, agent.hlc(), state, refused);
        if (!agent.session().isConnected()) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        reports.incrementAndGet();
        return agent.session().publish(Outgoing.retained(ShadowTopics.reported(agent.config().site(), agent.id()),
                codec.encode(reported), 1));
    }

    /** Reports published (all causes). */
    public long reports() {
        return reports.get();
    }

    /** Desired documents refused as a whole (too large, not decodable, another device's). */
    public long refusedDocuments() {
        return refusedDocuments.get();
    }

    /** The desired version last applied and reported. */
    public synchronized long handledVersion() {
        return reconciler.handledVersion();
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.cancel();
        }
        if (listening != null) {
            try {
                listening.close();
            } catch (Exception e) {
                log.debug("{}: removing the shadow listener: {}", agent.id(), e.toString());
            }
        }
        synchronized (this) {
            if (pendingReport != null) {
                pendingReport.cancel(false);
            }
        }
    }
}
