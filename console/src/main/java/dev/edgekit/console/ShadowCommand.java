package dev.edgekit.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgekit.console.shadow.ShadowClient;
import dev.edgekit.console.shadow.ShadowKeeper;
import dev.edgekit.protocol.clock.HybridLogicalClock;
import dev.edgekit.protocol.mqtt.MqttSession;
import dev.edgekit.protocol.shadow.Desired;
import dev.edgekit.protocol.shadow.Reported;
import dev.edgekit.protocol.shadow.ShadowCodec;
import dev.edgekit.protocol.shadow.ShadowDelta;
import dev.edgekit.protocol.shadow.UpdateResult;
import dev.edgekit.protocol.topic.Ids;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgekit shadow get|set|watch|serve}: a device's desired/reported state; see docs/shadow.md. */
@Command(name = "shadow", mixinStandardHelpOptions = true,
        description = "Device shadow: desired state written through the keeper, reported by the device.",
        subcommands = {ShadowCommand.Get.class, ShadowCommand.Set.class, ShadowCommand.Watch.class,
            ShadowCommand.Serve.class})
final class ShadowCommand {

    abstract static class Base {
        @Mixin
        FleetWatch fleet;

        @Option(names = "--writer", description = "Operator id for replies and the writer field (default: edgekit-<pid>).")
        String writer;

        @Spec
        CommandSpec spec;

        String site() {
            if ("+".equals(fleet.site)) {
                throw new IllegalArgumentException("--site: a shadow lives on one site; name it (e.g. --site lab)");
            }
            return Ids.require(fleet.site, "--site");
        }

        /** Connected with the operator's (or, for serve, the keeper's) bundle on a secured site. */
        MqttSession connect(String name) throws Exception {
            return fleet.connect("shadow-" + name);
        }

        /** Replies come to the writer's inbox: on a secured site the identity's own id. */
        ShadowClient client(MqttSession session) {
            String id = writer != null ? writer : fleet.hasOperatorIdentity() ? fleet.operatorId()
                    : "edgekit-" + ProcessHandle.current().pid();
            return new ShadowClient(session, site(), id);
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print desired, reported and the pending delta.")
    static final class Get extends Base implements Callable<Integer> {
        @Parameters(paramLabel = "DEVICE")
        String device;

        @Override
        public Integer call() throws Exception {
            Ids.require(device, "DEVICE");
            site();
            try (MqttSession session = connect("get")) {
                ShadowClient client = client(session);
                Desired desired = client.desired(device, fleet.connectTimeout);
                Reported reported = client.reported(device, fleet.connectTimeout);
                out().printf("desired  v%d %s (by %s)%n", desired.version(), desired.state(),
                        desired.writer().isEmpty() ? "-" : desired.writer());
                out().println(reported == null ? "reported none yet"
                        : "reported for v" + reported.desiredVersion() + " " + reported.state()
                        + (reported.refused().isEmpty() ? "" : " refused " + reported.refused()));
                out().println("delta    " + ShadowDelta.of(desired, reported));
                return 0;
            }
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Merge STATE (a JSON object; null deletes a key) into desired.",
                "Without --version the current version is read first; with it, a stale version fails."})
    static final class Set extends Base implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DEVICE")
        String device;

        @Parameters(index = "1", paramLabel = "STATE", description = "e.g. '{\"fan\":40}'")
        String state;

        @Option(names = "--version", description = "The desired version this write is based on.")
        Long version;

        @Override
        public Integer call() throws Exception {
            Ids.require(device, "DEVICE");
            site();
            ObjectNode patch;
            try {
                patch = new ShadowCodec().parseState(state);
            } catch (dev.edgekit.protocol.shadow.ShadowException e) {
                spec.commandLine().getErr().println("edgekit shadow set: invalid: " + e.getMessage());
                return 2;
            }
            try (MqttSession session = connect("set")) {
                ShadowClient client = client(session);
                long base = version != null ? version : client.desired(device, fleet.connectTimeout).version();
                UpdateResult result = client.update(device, base, patch, fleet.connectTimeout).get();
                return switch (result) {
                    case UpdateResult.Accepted a -> {
                        out().println("ok: desired v" + a.version());
                        yield 0;
                    }
                    case UpdateResult.VersionConflict c -> {
                        out().println("version-conflict: you read v" + c.expectedVersion() + ", current is v"
                                + c.currentVersion() + " (re-read with 'shadow get' and retry)");
                        yield 3;
                    }
                    case UpdateResult.Invalid i -> {
                        out().println("invalid: " + i.reason());
                        yield 2;
                    }
                };
            }
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Print every desired and reported document of the site (or one DEVICE) as it changes.")
    static final class Watch extends Base implements Callable<Integer> {
        @Parameters(paramLabel = "DEVICE", arity = "0..1")
        String device;

        @Override
        public Integer call() throws Exception {
            site();
            MqttSession session = connect("watch");
            client(session).watch((dev, doc) -> {
                if (device == null || device.equals(dev)) {
                    out().println(dev + " " + doc);
                    out().flush();
                }
            });
            new CountDownLatch(1).await(); // until Ctrl-C
            return 0;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run the shadow keeper for --site: the single writer of every device's retained desired.")
    static final class Serve extends Base implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            String site = site();
            MqttSession session = connect("keeper");
            ShadowKeeper keeper = new ShadowKeeper(session, site, new HybridLogicalClock(Clock.systemUTC()));
            keeper.start().get(fleet.connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            out().println("shadow keeper for site " + site + " on " + fleet.broker);
            out().flush();
            while (true) {
                Thread.sleep(Duration.ofSeconds(30));
                out().printf("accepted %d, conflicts %d, refused %d%n", keeper.accepted(), keeper.conflicts(),
                        keeper.refused());
                out().flush();
            }
        }
    }
}
