package dev.edgekit.agent.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.edgekit.hardware.board.Boards;
import dev.edgekit.hardware.board.SimulatedBoard;
import dev.edgekit.hardware.board.SimulationSettings;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.protocol.message.CommandReply;
import dev.edgekit.testkit.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A device answers only inside its own reply space, never where a request aims it. */
class ReplySpaceTest {
    private static final String TOPIC = "edgekit/v1/lab1/pi-01/cmd/";
    private final ManualScheduler scheduler = new ManualScheduler();
    private final SimulatedBoard board = Boards.openSimulated(BoardSpec.of(DigitalOutputSpec.led("status", 22)),
            scheduler.clock(), scheduler, SimulationSettings.seeded(1));
    private final CommandHandler handler = new CommandHandler("lab1", "pi-01", board, scheduler, scheduler.clock());

    @AfterEach
    void close() {
        board.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "edgekit/v1/lab1/pi-01/cmd/get", // its own command topic: would answer itself for ever
        "edgekit/v1/lab1/pi-02/cmd/set", // another device's command
        "edgekit/v1/lab1/pi-02/reply/op", // another device's reply space
        "edgekit/v1/lab2/pi-01/reply/op", // another site
        "edgekit/v1/lab1/pi-01/reply/", "edgekit/v1/lab1/pi-01/reply", "edgekit/v1/lab1/pi-01/reply//x",
        "edgekit/v1/lab1/pi-01/reply/+", "edgekit/v1/lab1/pi-01/reply/#",
        "edgekit/v1/lab1/pi-01/telemetry/status", "operator/replies"})
    void aRequestAimedOutsideTheReplySpaceIsCountedAndNotAnswered(String responseTopic) {
        FakeSession session = new FakeSession();

        handler.handle(FakeSession.request(TOPIC + "get", "{\"v\":1}".getBytes(UTF_8), responseTopic), session);

        assertThat(session.replies).isEmpty();
        assertThat(handler.misdirected()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"edgekit/v1/lab1/pi-01/reply/operator", "edgekit/v1/lab1/pi-01/reply/op-7/req/42"})
    void aRequestWithAResponseTopicInsideTheReplySpaceIsAnswered(String responseTopic) {
        FakeSession session = new FakeSession();

        handler.handle(FakeSession.request(TOPIC + "get", "{\"v\":1}".getBytes(UTF_8), responseTopic), session);

        assertThat(session.replies).hasSize(1);
        assertThat(handler.misdirected()).isZero();
    }

    @Test
    void aResponseTopicLongerThanTheBoundIsRefused() {
        String longTopic = "edgekit/v1/lab1/pi-01/reply/" + "x".repeat(ReplySpace.MAX_TOPIC_LENGTH);

        assertThat(ReplySpace.allows("lab1", "pi-01", longTopic)).isFalse();
    }

    @Test
    void aBurstOverTheRateLimitIsAnsweredBusyAndWhatIsOverEvenThatIsCounted() throws Exception {
        FakeSession session = new FakeSession();
        int sent = 2 * CommandHandler.COMMAND_BURST + 20;

        for (int i = 0; i < sent; i++) { // all at the same instant: a pipelined burst
            handler.handle(FakeSession.request(TOPIC + "get", "{\"v\":1}".getBytes(UTF_8)), session);
        }

        var codec = new dev.edgekit.protocol.message.Codec();
        long busy = session.replies.stream().map(r -> decode(codec, r.payload())).filter(r -> r instanceof
                CommandReply.Error e && e.error() == CommandReply.ErrorCode.BUSY).count();
        assertThat(session.replies).hasSize(2 * CommandHandler.COMMAND_BURST);
        assertThat(busy).isEqualTo(CommandHandler.COMMAND_BURST).isEqualTo(handler.busy());
        assertThat(handler.undelivered()).isEqualTo(20);
    }

    private static CommandReply decode(dev.edgekit.protocol.message.Codec codec, byte[] payload) {
        try {
            return codec.decode(CommandReply.class, payload);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
