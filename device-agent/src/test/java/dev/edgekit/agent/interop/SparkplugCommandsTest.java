package dev.edgekit.agent.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.agent.interop.SparkplugCommands.Accepted;
import dev.edgekit.agent.interop.SparkplugCommands.Cause;
import dev.edgekit.agent.interop.SparkplugCommands.Refused;
import dev.edgekit.hardware.ActuatorCommand;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.Frequency;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import dev.edgekit.protocol.message.Capability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.junit.jupiter.api.Test;

/** The reading of untrusted NCMD/DCMD payloads: by name or alias, announced type and range only, bounded. */
class SparkplugCommandsTest {
    private static final BoardSpec SPEC = BoardSpec.of(Bme280Spec.onBus1("env"), DigitalOutputSpec.relay("pump", 23),
            new PwmOutputSpec("fan", 18, Frequency.ofKilohertz(25)));
    private static final SparkplugModel MODEL = new SparkplugModel(new AgentConfig("lab", "n1", null,
            AgentConfig.BrokerConfig.of("tcp://127.0.0.1:1"), Duration.ofSeconds(1), AgentConfig.BoardKind.SIMULATED,
            HardwareConfig.of(SPEC), Path.of("target")), List.of(Capability.sensor("env-temperature", "°C"),
            Capability.sensor("env-humidity", "%RH"), Capability.actuator("pump", null),
            Capability.actuator("fan", "%")));

    private static Payload.Metric.Builder named(String name) {
        return Payload.Metric.newBuilder().setName(name);
    }

    @Test
    void writesAreTakenByNameOrAliasWithTheirTypeAndRangeOnly() {
        long duty = MODEL.point("fan", "duty", null).orElseThrow().alias();
        byte[] payload = Payload.newBuilder()
                .addMetrics(named("duty").setIntValue(40))
                .addMetrics(Payload.Metric.newBuilder().setAlias(duty).setLongValue(60))
                .addMetrics(Payload.Metric.newBuilder().setAlias(duty).setIntValue(101))
                .addMetrics(Payload.Metric.newBuilder().setAlias(duty).setIntValue(-1)) // uint32 on the wire
                .addMetrics(named("duty").setStringValue("40"))
                .addMetrics(named("duty").setIsNull(true))
                .addMetrics(named("speed").setIntValue(1)).build().toByteArray();

        Accepted accepted = (Accepted) SparkplugCommands.device(payload, "fan", MODEL);

        assertThat(accepted.writes()).extracting(SparkplugCommands.Write::command).containsExactly(
                new ActuatorCommand.SetDutyCycle(40), new ActuatorCommand.SetDutyCycle(60));
        assertThat(accepted.refusals()).extracting(SparkplugCommands.Refusal::cause).containsExactly(Cause.BAD_VALUE,
                Cause.BAD_VALUE, Cause.BAD_VALUE, Cause.BAD_VALUE, Cause.UNKNOWN_METRIC);
    }

    @Test
    void aSensorMetricAnotherDevicesAliasOrAnUnknownDeviceIsNotWritable() {
        long pumpOn = MODEL.point("pump", "on", null).orElseThrow().alias();
        byte[] payload = Payload.newBuilder()
                .addMetrics(named("temperature").setDoubleValue(3))
                .addMetrics(Payload.Metric.newBuilder().setAlias(pumpOn).setBooleanValue(true)).build().toByteArray();
        assertThat(((Accepted) SparkplugCommands.device(payload, "env", MODEL)).refusals())
                .extracting(SparkplugCommands.Refusal::cause).containsExactly(Cause.UNKNOWN_METRIC, Cause.UNKNOWN_METRIC);
        assertThat(((Accepted) SparkplugCommands.device(payload, "ghost", MODEL)).writes()).isEmpty();
        byte[] on = Payload.newBuilder().addMetrics(named("on").setBooleanValue(true)).build().toByteArray();
        assertThat(((Accepted) SparkplugCommands.device(on, "pump", MODEL)).writes())
                .extracting(SparkplugCommands.Write::command).containsExactly(new ActuatorCommand.SetOn(true));
    }

    @Test
    void rebirthNeedsTrueByNameOrAliasAndNothingElseIsANodeCommand() {
        byte[] byName = Payload.newBuilder().addMetrics(named(SparkplugCommands.REBIRTH).setBooleanValue(true)).build()
                .toByteArray();
        byte[] byAlias = Payload.newBuilder().addMetrics(Payload.Metric.newBuilder()
                .setAlias(SparkplugCommands.REBIRTH_ALIAS).setBooleanValue(true)).build().toByteArray();
        byte[] no = Payload.newBuilder().addMetrics(named(SparkplugCommands.REBIRTH).setBooleanValue(false))
                .addMetrics(named("Node Control/Reboot").setBooleanValue(true)).build().toByteArray();
        assertThat(((Accepted) SparkplugCommands.node(byName)).writes()).containsExactly(SparkplugCommands.Write.REBIRTH);
        assertThat(((Accepted) SparkplugCommands.node(byAlias)).writes()).containsExactly(SparkplugCommands.Write.REBIRTH);
        Accepted refused = (Accepted) SparkplugCommands.node(no);
        assertThat(refused.writes()).isEmpty();
        assertThat(refused.refusals()).extracting(SparkplugCommands.Refusal::cause)
                .containsExactly(Cause.BAD_VALUE, Cause.UNKNOWN_METRIC);
    }

    @Test
    void oversizedGarbageOrCrowdedPayloadsAreRefusedWhole() {
        assertThat(((Refused) SparkplugCommands.node(new byte[SparkplugCommands.MAX_BYTES + 1])).refusal().cause())
                .isEqualTo(Cause.TOO_LARGE);
        assertThat(((Refused) SparkplugCommands.node(new byte[] {(byte) 0xff, 1, 2})).refusal().cause())
                .isEqualTo(Cause.UNDECODABLE);
        Payload.Builder many = Payload.newBuilder();
        for (int i = 0; i <= SparkplugCommands.MAX_METRICS; i++) {
            many.addMetrics(named("on").setBooleanValue(true));
        }
        assertThat(((Refused) SparkplugCommands.device(many.build().toByteArray(), "pump", MODEL)).refusal().cause())
                .isEqualTo(Cause.TOO_LARGE);
        assertThat(Cause.RATE_LIMITED.metricName()).isEqualTo("rate-limited");
    }
}
