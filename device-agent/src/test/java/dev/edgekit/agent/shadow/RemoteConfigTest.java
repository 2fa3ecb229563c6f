package dev.edgekit.agent.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.agent.runtime.AgentPort;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.time.PollRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The overlay rule and the bounds of the shadow's {@code config}, at the agent boundary: which setter is called with
 * what, and which is never called because a value was refused.
 */
class RemoteConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PollRange FILE_POLLS = new PollRange(Duration.ofMillis(250), Duration.ofSeconds(64));

    private final AgentPort agent = mock(AgentPort.class);
    private final Map<String, Boolean> channels = new LinkedHashMap<>();
    private final Map<String, String> refusals = new LinkedHashMap<>();
    private RemoteConfig remote;

    @BeforeEach
    void anAgentRunningItsFile() {
        AgentConfig file = new AgentConfig("s", "d", null, AgentConfig.BrokerConfig.of("tcp://127.0.0.1:1"),
                Duration.ofSeconds(5), AgentConfig.BoardKind.SIMULATED, HardwareConfig.of(BoardSpec.empty()),
                Path.of("target"), AgentConfig.TimeConfig.ntp(List.of("ts1")));
        when(agent.config()).thenReturn(file);
        when(agent.heartbeatInterval()).thenReturn(Duration.ofSeconds(5));
        when(agent.samplingInterval()).thenReturn(Duration.ofSeconds(1));
        channels.put("env-temperature", true);
        channels.put("env-pressure", true);
        when(agent.channels()).thenReturn(channels);
        when(agent.timePolling()).thenReturn(Optional.of(FILE_POLLS));
        remote = new RemoteConfig(agent);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void eachSettingReachesTheAgentWithinItsBounds() throws Exception {
        remote.apply(json("""
                {"heartbeat": "2s", "sampling": "10s", "channels": {"env-pressure": false},
                 "time": {"minPoll": "1s", "maxPoll": "5m"}}"""), refusals);

        assertThat(refusals).isEmpty();
        verify(agent).heartbeatInterval(Duration.ofSeconds(2));
        verify(agent).samplingInterval(Duration.ofSeconds(10));
        verify(agent).channelEnabled("env-pressure", false);
        verify(agent, never()).channelEnabled("env-temperature", false);
        verify(agent).timePolling(new PollRange(Duration.ofSeconds(1), Duration.ofMinutes(5)));
    }

    @Test
    void aSettingTheShadowNoLongerNamesIsTheFilesValueAgain() throws Exception {
        when(agent.heartbeatInterval()).thenReturn(Duration.ofSeconds(2)); // set remotely before
        when(agent.samplingOverridden()).thenReturn(true);
        channels.put("env-pressure", false);
        when(agent.timePolling()).thenReturn(Optional.of(new PollRange(Duration.ofSeconds(1), Duration.ofMinutes(5))));

        remote.apply(null, refusals);

        assertThat(refusals).isEmpty();
        verify(agent).heartbeatInterval(Duration.ofSeconds(5));
        verify(agent).samplingInterval(null);
        verify(agent).channelEnabled("env-pressure", true);
        verify(agent).timePolling(FILE_POLLS);
    }

    @Test
    void nothingIsTouchedWhenWhatRunsIsAlreadyWhatIsWanted() throws Exception {
        remote.apply(json("{\"heartbeat\": \"5s\", \"time\": {\"maxPoll\": \"64s\"}}"), refusals);

        assertThat(refusals).isEmpty();
        verify(agent, never()).heartbeatInterval(any());
        verify(agent, never()).samplingInterval(any());
        verify(agent, never()).channelEnabled(anyString(), anyBoolean());
        verify(agent, never()).timePolling(any());
    }

    @Test
    void everyBadValueIsRefusedWithItsReasonAndChangesNothing() throws Exception {
        remote.apply(json("""
                {"heartbeat": "1ms", "sampling": 5, "channels": {"env-humidity": false, "env-pressure": "off"},
                 "time": {"minPoll": "10ms", "maxPoll": "1000d", "burst": 4}, "servers": ["x"]}"""), refusals);

        assertThat(refusals).containsOnlyKeys("config.heartbeat", "config.sampling", "config.channels.env-humidity",
                "config.channels.env-pressure", "config.time.minPoll", "config.time.maxPoll", "config.time.burst",
                "config.servers");
        assertThat(refusals.get("config.heartbeat")).isEqualTo("1ms is out of range: between 100ms and 1h");
        assertThat(refusals.get("config.sampling")).contains("expected a duration");
        assertThat(refusals.get("config.channels.env-humidity")).contains("no channel named 'env-humidity'")
                .contains("env-temperature, env-pressure");
        assertThat(refusals.get("config.time.minPoll")).contains("between 250ms");
        assertThat(refusals.get("config.servers")).contains("set it in agent.yaml");
        verify(agent, never()).heartbeatInterval(any());
        verify(agent, never()).samplingInterval(any());
        verify(agent, never()).channelEnabled(anyString(), anyBoolean());
        verify(agent, never()).timePolling(any());
    }

    @Test
    void aPollRangeUpsideDownIsRefusedAsAWhole() throws Exception {
        remote.apply(json("{\"time\": {\"maxPoll\": \"1s\", \"minPoll\": \"2s\"}}"), refusals);
        assertThat(refusals).containsOnlyKeys("config.time.maxPoll");
        assertThat(refusals.get("config.time.maxPoll")).isEqualTo("maxPoll 1s is shorter than minPoll 2s");

        refusals.clear();
        remote.apply(json("{\"time\": {\"minPoll\": \"2m\"}}"), refusals); // the file's maxPoll is 64 s
        assertThat(refusals).containsOnlyKeys("config.time.minPoll");
        verify(agent, never()).timePolling(any());
    }

    @Test
    void anAgentThatPollsNoTimeServerRefusesTimeSettings() throws Exception {
        when(agent.timePolling()).thenReturn(Optional.empty());
        remote.apply(json("{\"time\": {\"minPoll\": \"1s\"}}"), refusals);
        assertThat(refusals).containsOnlyKeys("config.time");
        assertThat(refusals.get("config.time")).contains("does not poll a time server");
    }

    @Test
    void theReportSaysWhatRuns() {
        channels.put("env-pressure", false);
        ObjectNode state = JSON.createObjectNode();
        remote.report(state);
        assertThat(state.toString()).isEqualTo("{\"config\":{\"heartbeat\":\"5s\",\"sampling\":\"1s\","
                + "\"channels\":{\"env-temperature\":true,\"env-pressure\":false},"
                + "\"time\":{\"minPoll\":\"250ms\",\"maxPoll\":\"64s\"}}}");
    }
}
