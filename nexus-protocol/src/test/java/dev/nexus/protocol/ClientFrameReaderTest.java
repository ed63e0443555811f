package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientFrameReaderTest {

    @Test
    void subscribeParsesAndNormalisesPatterns() {
        ClientFrame frame = ClientFrameReader.read("{\"action\":\"subscribe\",\"topics\":[\"work.**\",\"chat.*\",\">\"],\"id\":\"r1\"}", "s1");

        assertThat(frame).isInstanceOfSatisfying(ClientFrame.Subscribe.class, s -> {
            assertThat(s.patterns()).extracting(TopicPattern::text).containsExactly("work.>", "chat.*", ">");
            assertThat(s.id()).isEqualTo(TextNode.valueOf("r1"));
        });
    }

    @Test
    void unsubscribeParsesPatterns() {
        ClientFrame frame = ClientFrameReader.read("{\"action\":\"unsubscribe\",\"topics\":[\"a.b\"]}", "s1");

        assertThat(frame).isInstanceOfSatisfying(ClientFrame.Unsubscribe.class, u -> {
            assertThat(u.patterns()).extracting(TopicPattern::text).containsExactly("a.b");
            assertThat(u.id()).isNull();
        });
    }

    @Test
    void publishReadsTheRequestAsTheConnectionSession() {
        ClientFrame frame = ClientFrameReader.read(
                "{\"action\":\"publish\",\"event_type\":\"chat.message\",\"payload\":{\"t\":1},\"id\":5}", "s1");

        assertThat(frame).isInstanceOfSatisfying(ClientFrame.Publish.class, p -> {
            assertThat(p.request().eventType()).isEqualTo("chat.message");
            assertThat(p.request().sessionId()).isEqualTo("s1");
            assertThat(p.request().payload().get("t").asInt()).isEqualTo(1);
            assertThat(p.id()).isEqualTo(IntNode.valueOf(5));
        });
    }

    @Test
    void ping() {
        assertThat(ClientFrameReader.read("{\"action\":\"ping\",\"id\":\"p\"}", "s1"))
                .isEqualTo(new ClientFrame.Ping(TextNode.valueOf("p")));
    }

    @Test
    void authCarriesItsTokenAndHidesItWhenPrinted() {
        ClientFrame frame = ClientFrameReader.read("{\"action\":\"auth\",\"token\":\"secret-123\",\"id\":1}", "s1");
        assertThat(frame).isEqualTo(new ClientFrame.Auth(IntNode.valueOf(1), "secret-123"));
        assertThat(frame.toString()).doesNotContain("secret-123");
        NexusException missing = catchThrowableOfType(NexusException.class,
                () -> ClientFrameReader.read("{\"action\":\"auth\"}", "s1"));
        assertThat(missing.code()).isEqualTo(ErrorCode.MISSING_FIELD);
        NexusException empty = catchThrowableOfType(NexusException.class,
                () -> ClientFrameReader.read("{\"action\":\"auth\",\"token\":\"\"}", "s1"));
        assertThat(empty.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    }

    @Test
    void workFrames() {
        assertThat(ClientFrameReader.read("{\"action\":\"claim\",\"work_id\":\"w1\",\"work_description\":\"fix it\"}", "s1"))
                .isEqualTo(new ClientFrame.Work(null, new WorkCommand.Claim("w1", "fix it", null, java.util.List.of(),
                        ReservationMode.EXCLUSIVE)));
        assertThat(ClientFrameReader.read("{\"action\":\"release\",\"work_id\":\"w1\",\"fencing_token\":4}", "s1"))
                .isEqualTo(new ClientFrame.Work(null, new WorkCommand.Release("w1", 4L)));
        assertThat(ClientFrameReader.read("{\"action\":\"next\",\"id\":7}", "s1"))
                .isEqualTo(new ClientFrame.Work(com.fasterxml.jackson.databind.node.IntNode.valueOf(7),
                        new WorkCommand.Next(null)));
        assertThat(ClientFrameReader.read("{\"action\":\"complete\",\"work_id\":\"w1\",\"result\":{\"ok\":true}}", "s1"))
                .isInstanceOfSatisfying(ClientFrame.Work.class, w -> {
                    WorkCommand.Complete c = (WorkCommand.Complete) w.command();
                    assertThat(c.workId()).isEqualTo("w1");
                    assertThat(c.result().get("ok").asBoolean()).isTrue();
                });
        assertThat(refuse("{\"action\":\"claim\"}").code()).isEqualTo(ErrorCode.MISSING_FIELD);
        assertThat(refuse("{\"action\":\"claim\",\"work_id\":\" \"}").code()).isEqualTo(ErrorCode.INVALID_FIELD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "not json", "{\"action\":}", "{\"action\":\"ping\"} {}", "{\"action\":\"ping\",\"action\":\"ping\"}",
            "{\"action\":\"ping\",\"x\":NaN}"})
    void malformedJson(String text) {
        NexusException e = refuse(text);
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON);
        assertThat(e.getMessage()).startsWith("frame is not valid JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"action\":\"ping\"}]", "42", "\"ping\"", "true", "null"})
    void nonObjectFrame(String text) {
        assertThat(refuse(text).code()).isEqualTo(ErrorCode.INVALID_FRAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"id\":1}", "{\"action\":7}", "{\"action\":null}", "{\"action\":[\"ping\"]}"})
    void missingOrNonStringAction(String text) {
        assertThat(refuse(text).code()).isEqualTo(ErrorCode.INVALID_FRAME);
    }

    @Test
    void idMustBeAScalar() {
        assertThat(refuse("{\"action\":\"ping\",\"id\":{\"a\":1}}").code()).isEqualTo(ErrorCode.INVALID_FRAME);
        assertThat(refuse("{\"action\":\"ping\",\"id\":[1]}").code()).isEqualTo(ErrorCode.INVALID_FRAME);
    }

    @Test
    void unknownActionEchoesTheActionAndTheId() {
        NexusException e = refuse("{\"action\":\"dance\",\"id\":\"req-9\"}");

        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_ACTION);
        assertThat(e.details()).containsEntry("action", "dance").containsEntry("id", TextNode.valueOf("req-9"));
        assertThat(e.getMessage()).contains("dance");
    }

    @Test
    void numericIdIsEchoedAsANumber() {
        NexusException e = refuse("{\"action\":\"dance\",\"id\":17}");

        assertThat(e.details()).containsEntry("id", IntNode.valueOf(17));
        assertThat(ServerFrames.error(e).get("id")).isEqualTo(IntNode.valueOf(17));
    }

    @Test
    void everyValidationErrorEchoesTheId() {
        assertThat(refuse("{\"action\":\"subscribe\",\"id\":\"a\"}").details()).containsEntry("id", TextNode.valueOf("a"));
        assertThat(refuse("{\"action\":\"publish\",\"id\":\"b\",\"payload\":{}}").details()).containsEntry("id", TextNode.valueOf("b"));
        assertThat(refuse("{\"id\":\"c\"}").details()).containsEntry("id", TextNode.valueOf("c"));
    }

    @Test
    void errorWithoutIdCarriesNoId() {
        assertThat(refuse("{\"action\":\"dance\"}").details()).doesNotContainKey("id");
        assertThat(refuse("{\"action\":\"dance\",\"id\":null}").details()).doesNotContainKey("id");
    }

    @Test
    void subscribeWithoutTopics() {
        for (String text : new String[] {"{\"action\":\"subscribe\"}", "{\"action\":\"subscribe\",\"topics\":[]}",
                "{\"action\":\"subscribe\",\"topics\":\"a.b\"}", "{\"action\":\"unsubscribe\",\"topics\":null}"}) {
            NexusException e = refuse(text);
            assertThat(e.code()).as(text).isEqualTo(ErrorCode.MISSING_FIELD);
            assertThat(e.details()).containsEntry("field", "topics");
        }
    }

    @Test
    void invalidPatternInSubscribe() {
        NexusException e = refuse("{\"action\":\"subscribe\",\"topics\":[\"ok.*\",\"a.>.b\"],\"id\":3}");

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATTERN);
        assertThat(e.details()).containsEntry("pattern", "a.>.b").containsEntry("id", IntNode.valueOf(3));
    }

    @Test
    void nonStringPatternInSubscribe() {
        assertThat(refuse("{\"action\":\"subscribe\",\"topics\":[1]}").code()).isEqualTo(ErrorCode.INVALID_PATTERN);
    }

    @Test
    void atMost256TopicsPerFrame() {
        String topics256 = IntStream.range(0, 256).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
        assertThat(ClientFrameReader.read("{\"action\":\"subscribe\",\"topics\":[" + topics256 + "]}", "s1"))
                .isInstanceOfSatisfying(ClientFrame.Subscribe.class, s -> assertThat(s.patterns()).hasSize(256));

        NexusException e = refuse("{\"action\":\"subscribe\",\"topics\":[" + topics256 + ",\"x\"]}");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(e.details()).containsEntry("field", "topics");
    }

    @Test
    void publishValidationErrorsPassThrough() {
        assertThat(refuse("{\"action\":\"publish\",\"payload\":{}}").code()).isEqualTo(ErrorCode.MISSING_FIELD);
        assertThat(refuse("{\"action\":\"publish\",\"event_type\":\"a b\"}").code()).isEqualTo(ErrorCode.INVALID_TOPIC);
        assertThat(refuse("{\"action\":\"publish\",\"event_type\":\"a\",\"payload\":[]}").code()).isEqualTo(ErrorCode.INVALID_PAYLOAD);
        assertThat(refuse("{\"action\":\"publish\",\"event_type\":\"a\",\"priority\":7}").code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(refuse("{\"action\":\"publish\",\"event_type\":\"a\",\"session_id\":\"intruder\"}").code())
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(refuse("{\"action\":\"publish\",\"event_type\":\"message.direct\"}").code()).isEqualTo(ErrorCode.MISSING_FIELD);
    }

    @Test
    void deeplyNestedArrayIsMalformedNotAStackOverflow() {
        String text = "[".repeat(1000) + "]".repeat(1000);

        NexusException e = refuse(text);

        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON);
    }

    @Test
    void deeplyNestedPayloadIsMalformedNotAStackOverflow() {
        String nested = "{\"a\":".repeat(1000) + "1" + "}".repeat(1000);

        NexusException e = refuse("{\"action\":\"publish\",\"event_type\":\"a\",\"payload\":" + nested + "}");

        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON);
    }

    @Test
    void nestingUpToTheLimitIsAcceptedAndOneDeeperIsNot() {
        // the frame object is the first level, the payload and its nested objects the rest
        String atLimit = "{\"action\":\"publish\",\"event_type\":\"a\",\"payload\":"
                + nestedObject(WireJson.MAX_NESTING_DEPTH - 1) + "}";
        String beyond = "{\"action\":\"publish\",\"event_type\":\"a\",\"payload\":"
                + nestedObject(WireJson.MAX_NESTING_DEPTH) + "}";

        assertThat(ClientFrameReader.read(atLimit, "s1")).isInstanceOf(ClientFrame.Publish.class);
        assertThat(refuse(beyond).code()).isEqualTo(ErrorCode.MALFORMED_JSON);
    }

    /** An object nested {@code levels} deep: {"a":{"a":...{}}}. */
    private static String nestedObject(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }

    private static NexusException refuse(String text) {
        NexusException e = catchThrowableOfType(NexusException.class, () -> ClientFrameReader.read(text, "s1"));
        assertThat(e).as("expected %s to be refused", text).isNotNull();
        return e;
    }
}
