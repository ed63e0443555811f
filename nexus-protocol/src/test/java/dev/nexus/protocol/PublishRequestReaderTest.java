package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PublishRequestReaderTest {

    @Test
    void readsEveryField() {
        PublishRequest request = read("""
                {"event_type":"message.direct","payload":{"text":"hi"},"target_session_id":"s2",
                 "correlation_id":"c1","causation_id":"k1","priority":0,"ttl":60,"tags":["x","y"]}""", "s1");

        assertThat(request.eventType()).isEqualTo("message.direct");
        assertThat(request.sessionId()).isEqualTo("s1");
        assertThat(request.payload().get("text").asText()).isEqualTo("hi");
        assertThat(request.targetSessionId()).isEqualTo("s2");
        assertThat(request.correlationId()).isEqualTo("c1");
        assertThat(request.causationId()).isEqualTo("k1");
        assertThat(request.priority()).isZero();
        assertThat(request.ttl()).isEqualTo(60);
        assertThat(request.tags()).containsExactly("x", "y");
    }

    @Test
    void optionalFieldsDefaultToNullAndPayloadToAnEmptyObject() {
        PublishRequest request = read("{\"event_type\":\"chat.message\"}", "s1");

        assertThat(request.payload()).isNotNull();
        assertThat(request.payload().isEmpty()).isTrue();
        assertThat(request.targetSessionId()).isNull();
        assertThat(request.correlationId()).isNull();
        assertThat(request.causationId()).isNull();
        assertThat(request.priority()).isNull();
        assertThat(request.ttl()).isNull();
        assertThat(request.tags()).isNull();
    }

    @Test
    void nullPayloadIsAnEmptyObject() {
        assertThat(read("{\"event_type\":\"a\",\"payload\":null}", "s1").payload().isEmpty()).isTrue();
    }

    @Test
    void missingEventType() {
        NexusException e = refuse("{\"payload\":{}}", "s1");
        assertThat(e.code()).isEqualTo(ErrorCode.MISSING_FIELD);
        assertThat(e.details()).containsEntry("field", "event_type");
    }

    @Test
    void nullEventTypeIsMissing() {
        assertThat(refuse("{\"event_type\":null}", "s1").code()).isEqualTo(ErrorCode.MISSING_FIELD);
    }

    @Test
    void eventTypeMustBeAString() {
        NexusException e = refuse("{\"event_type\":42}", "s1");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(e.details()).containsEntry("field", "event_type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "work.*", "work.>", "a..b", ".a", "a b", "a/b"})
    void badTopic(String topic) {
        NexusException e = refuse("{\"event_type\":" + quote(topic) + "}", "s1");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOPIC);
        assertThat(e.details()).containsEntry("topic", topic);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[1]", "\"text\"", "42", "true"})
    void payloadMustBeAnObject(String payload) {
        NexusException e = refuse("{\"event_type\":\"a\",\"payload\":" + payload + "}", "s1");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PAYLOAD);
        assertThat(e.details()).containsEntry("field", "payload");
    }

    @Test
    void connectionSessionIsUsedWhenBodyNamesNone() {
        assertThat(read("{\"event_type\":\"a\"}", "conn-session").sessionId()).isEqualTo("conn-session");
    }

    @Test
    void bodyMayRepeatTheConnectionSession() {
        assertThat(read("{\"event_type\":\"a\",\"session_id\":\"s1\"}", "s1").sessionId()).isEqualTo("s1");
    }

    @Test
    void sessionIdMismatchOnAConnection() {
        NexusException e = refuse("{\"event_type\":\"a\",\"session_id\":\"other\"}", "s1");
        assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(e.details()).containsEntry("field", "session_id");
        assertThat(e.getMessage()).contains("other", "s1");
    }

    @Test
    void withoutAConnectionTheBodyMustNameTheSession() {
        NexusException e = refuse("{\"event_type\":\"a\"}", null);
        assertThat(e.code()).isEqualTo(ErrorCode.MISSING_FIELD);
        assertThat(e.details()).containsEntry("field", "session_id");

        assertThat(read("{\"event_type\":\"a\",\"session_id\":\"http-1\"}", null).sessionId()).isEqualTo("http-1");
    }

    @Test
    void withoutAConnectionTheSessionMustFollowTheGrammar() {
        NexusException e = refuse("{\"event_type\":\"a\",\"session_id\":\"../etc\"}", null);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SESSION_ID);
        assertThat(e.details()).containsEntry("field", "session_id");
    }

    @Test
    void sessionIdMustBeAString() {
        assertThat(refuse("{\"event_type\":\"a\",\"session_id\":7}", null).code()).isEqualTo(ErrorCode.INVALID_FIELD);
    }

    @Test
    void directMessageWithoutTarget() {
        NexusException e = refuse("{\"event_type\":\"message.direct\",\"payload\":{}}", "s1");
        assertThat(e.code()).isEqualTo(ErrorCode.MISSING_FIELD);
        assertThat(e.details()).containsEntry("field", "target_session_id");
    }

    @Test
    void targetMustFollowTheSessionGrammar() {
        NexusException e = refuse("{\"event_type\":\"message.direct\",\"target_session_id\":\"a b\"}", "s1");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SESSION_ID);
        assertThat(e.details()).containsEntry("field", "target_session_id");
    }

    @ParameterizedTest
    @CsvSource({"0,true", "1,true", "2,true", "3,true", "4,true", "-1,false", "5,false", "2.5,false", "'\"2\"',false",
            "99999999999,false"})
    void priorityRange(String priority, boolean accepted) {
        String body = "{\"event_type\":\"a\",\"priority\":" + priority + "}";
        if (accepted) {
            assertThat(read(body, "s1").priority()).isEqualTo(Integer.parseInt(priority));
        } else {
            NexusException e = refuse(body, "s1");
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
            assertThat(e.details()).containsEntry("field", "priority");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "1.5", "\"10\""})
    void ttlMustBeAPositiveInteger(String ttl) {
        NexusException e = refuse("{\"event_type\":\"a\",\"ttl\":" + ttl + "}", "s1");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(e.details()).containsEntry("field", "ttl");
    }

    @Test
    void tagsRules() {
        assertThat(refuse("{\"event_type\":\"a\",\"tags\":\"x\"}", "s1").details()).containsEntry("field", "tags");
        assertThat(refuse("{\"event_type\":\"a\",\"tags\":[\"\"]}", "s1").code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(refuse("{\"event_type\":\"a\",\"tags\":[1]}", "s1").code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(refuse("{\"event_type\":\"a\",\"tags\":[" + quote("t".repeat(65)) + "]}", "s1").code())
                .isEqualTo(ErrorCode.INVALID_FIELD);
        String thirtyThree = String.join(",", java.util.Collections.nCopies(33, "\"t\""));
        assertThat(refuse("{\"event_type\":\"a\",\"tags\":[" + thirtyThree + "]}", "s1").code())
                .isEqualTo(ErrorCode.INVALID_FIELD);
        String thirtyTwo = String.join(",", java.util.Collections.nCopies(32, "\"t\""));
        assertThat(read("{\"event_type\":\"a\",\"tags\":[" + thirtyTwo + "]}", "s1").tags()).hasSize(32);
    }

    @Test
    void correlationIdLength() {
        assertThat(read("{\"event_type\":\"a\",\"correlation_id\":" + quote("c".repeat(128)) + "}", "s1").correlationId())
                .hasSize(128);
        NexusException e = refuse("{\"event_type\":\"a\",\"correlation_id\":" + quote("c".repeat(129)) + "}", "s1");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(e.details()).containsEntry("field", "correlation_id");
    }

    @Test
    void tagsAreCopiedImmutably() {
        PublishRequest request = new PublishRequest("a", "s", null, null, null, null, null, null,
                new java.util.ArrayList<>(List.of("x")), null);
        assertThat(request.tags()).isUnmodifiable();
        assertThat(request.payload().isEmpty()).isTrue();
    }

    static PublishRequest read(String json, String connectionSession) {
        return PublishRequestReader.read(tree(json), connectionSession);
    }

    static NexusException refuse(String json, String connectionSession) {
        NexusException e = catchThrowableOfType(NexusException.class, () -> read(json, connectionSession));
        assertThat(e).as("expected %s to be refused", json).isNotNull();
        return e;
    }

    static JsonNode tree(String json) {
        try {
            return WireJson.mapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String quote(String s) {
        return WireJson.mapper().getNodeFactory().textNode(s).toString();
    }
}
