package dev.nexus.core.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.MutableClock;
import dev.nexus.core.memory.MemoryPresenceStore;
import dev.nexus.core.spi.SessionRecord;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.WireJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PresenceTest {
    private final MutableClock clock = new MutableClock();
    private final Presence presence = new Presence(new MemoryPresenceStore(), clock);

    @Test
    void connectedSessionIsOnlineActiveAndIdle() {
        SessionRecord record = presence.connected("s1");

        assertThat(record.online()).isTrue();
        assertThat(record.status()).isEqualTo("active");
        assertThat(record.connectedAt()).isEqualTo(clock.instant());
        assertThat(record.lastEvent()).isEqualTo(clock.instant());
        assertThat(record.disconnectedAt()).isNull();
        assertThat(Availability.of(record)).isEqualTo(Availability.IDLE);
        assertThat(presence.get("s1")).contains(record);
    }

    @Test
    void disconnectedSessionIsOfflineButRemembered() {
        presence.connected("s1");
        publish("s1", "capability.broadcast", "{\"capabilities\":[\"python\"],\"role\":\"coder\"}");
        clock.advance(Duration.ofSeconds(10));

        SessionRecord record = presence.disconnected("s1");

        assertThat(record.online()).isFalse();
        assertThat(record.disconnectedAt()).isEqualTo(clock.instant());
        assertThat(record.capabilities()).containsExactly("python");
        assertThat(Availability.of(record)).isEqualTo(Availability.OFFLINE);
        assertThat(presence.online()).isEmpty();
        assertThat(presence.all()).extracting(SessionRecord::sessionId).containsExactly("s1");
    }

    @Test
    void reconnectKeepsWhatTheSessionSaidAndComesBackOnline() {
        presence.connected("s1");
        publish("s1", "capability.broadcast", "{\"capabilities\":[\"go\"],\"role\":\"reviewer\"}");
        presence.disconnected("s1");
        clock.advance(Duration.ofSeconds(3));

        SessionRecord record = presence.connected("s1");

        assertThat(record.online()).isTrue();
        assertThat(record.disconnectedAt()).isNull();
        assertThat(record.connectedAt()).isEqualTo(clock.instant());
        assertThat(record.role()).isEqualTo("reviewer");
        assertThat(record.capabilities()).containsExactly("go");
    }

    @Test
    void disconnectOfAnUnknownSessionLeavesNoRecord() {
        assertThat(presence.disconnected("ghost")).isNull();
        assertThat(presence.get("ghost")).isEmpty();
    }

    @Test
    void capabilityBroadcastSetsCapabilitiesAndRole() {
        presence.connected("s1");
        clock.advance(Duration.ofSeconds(5));

        publish("s1", "capability.broadcast", "{\"capabilities\":[\"Python\",\"review\"],\"role\":\"coder\"}");

        SessionRecord record = presence.get("s1").orElseThrow();
        assertThat(record.capabilities()).containsExactly("Python", "review");
        assertThat(record.role()).isEqualTo("coder");
        assertThat(record.lastEvent()).isEqualTo(clock.instant());
    }

    @Test
    void capabilityBroadcastWithoutRoleKeepsTheRole() {
        presence.connected("s1");
        publish("s1", "capability.broadcast", "{\"capabilities\":[\"a\"],\"role\":\"coder\"}");

        publish("s1", "capability.broadcast", "{\"capabilities\":[\"b\"]}");

        SessionRecord record = presence.get("s1").orElseThrow();
        assertThat(record.capabilities()).containsExactly("b");
        assertThat(record.role()).isEqualTo("coder");
    }

    @Test
    void statusUpdateWithTaskMakesTheSessionBusy() {
        presence.connected("s1");

        publish("s1", "status.update", "{\"status\":\"active\",\"task\":\"refactor parser\"}");

        SessionRecord record = presence.get("s1").orElseThrow();
        assertThat(record.currentWork()).isEqualTo("refactor parser");
        assertThat(record.status()).isEqualTo("active");
        assertThat(Availability.of(record)).isEqualTo(Availability.BUSY);
    }

    @Test
    void statusUpdateAcceptsCurrentWorkAsWell() {
        presence.connected("s1");

        publish("s1", "status.update", "{\"current_work\":\"w-17\"}");

        assertThat(presence.get("s1").orElseThrow().currentWork()).isEqualTo("w-17");
    }

    @Test
    void statusUpdateWithoutWorkFieldsKeepsTheCurrentWork() {
        presence.connected("s1");
        publish("s1", "status.update", "{\"task\":\"t1\"}");

        publish("s1", "status.update", "{\"status\":\"thinking\"}");

        SessionRecord record = presence.get("s1").orElseThrow();
        assertThat(record.status()).isEqualTo("thinking");
        assertThat(record.currentWork()).isEqualTo("t1");
    }

    @Test
    void emptyTaskClearsTheWorkAndTheSessionIsIdleAgain() {
        presence.connected("s1");
        publish("s1", "status.update", "{\"task\":\"t1\"}");

        publish("s1", "status.update", "{\"task\":\"\"}");

        SessionRecord record = presence.get("s1").orElseThrow();
        assertThat(record.currentWork()).isNull();
        assertThat(Availability.of(record)).isEqualTo(Availability.IDLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"working", "busy", "error", "blocked", "Busy", "WORKING"})
    void busyStatusesMakeTheSessionBusy(String status) {
        presence.connected("s1");

        publish("s1", "status.update", "{\"status\":\"" + status + "\"}");

        assertThat(Availability.of(presence.get("s1").orElseThrow())).isEqualTo(Availability.BUSY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"active", "idle", "waiting", "done"})
    void otherStatusesLeaveTheSessionIdle(String status) {
        presence.connected("s1");

        publish("s1", "status.update", "{\"status\":\"" + status + "\"}");

        assertThat(Availability.of(presence.get("s1").orElseThrow())).isEqualTo(Availability.IDLE);
    }

    @Test
    void availabilityWireNames() {
        assertThat(Availability.IDLE.wire()).isEqualTo("idle");
        assertThat(Availability.BUSY.wire()).isEqualTo("busy");
        assertThat(Availability.OFFLINE.wire()).isEqualTo("offline");
    }

    @Test
    void offlineWinsOverBusy() {
        presence.connected("s1");
        publish("s1", "status.update", "{\"status\":\"working\",\"task\":\"x\"}");

        assertThat(Availability.of(presence.disconnected("s1"))).isEqualTo(Availability.OFFLINE);
    }

    @Test
    void otherEventsOnlyTouchLastEvent() {
        presence.connected("s1");
        clock.advance(Duration.ofSeconds(7));

        publish("s1", "chat.message", "{\"status\":\"working\",\"capabilities\":[\"x\"]}");

        SessionRecord record = presence.get("s1").orElseThrow();
        assertThat(record.status()).isEqualTo("active");
        assertThat(record.capabilities()).isEmpty();
        assertThat(record.lastEvent()).isEqualTo(clock.instant());
    }

    @Test
    void applyForAnUnknownSessionCreatesNoRecord() {
        publish("ghost", "status.update", "{\"status\":\"working\"}");

        assertThat(presence.get("ghost")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"capabilities\":\"python\"}",
            "{\"capabilities\":{\"a\":1}}",
            "{\"capabilities\":[1]}",
            "{\"capabilities\":[\" \"]}",
            "{\"capabilities\":[null]}",
            "{\"role\":7}",
            "{\"role\":[\"coder\"]}"})
    void invalidCapabilityBroadcastPayloads(String payload) {
        assertInvalidPayload("capability.broadcast", payload);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"status\":1}", "{\"status\":{\"a\":1}}", "{\"task\":[\"x\"]}", "{\"current_work\":false}"})
    void invalidStatusUpdatePayloads(String payload) {
        assertInvalidPayload("status.update", payload);
    }

    @Test
    void oversizedPresenceValuesAreInvalid() {
        String longText = "x".repeat(Presence.MAX_TEXT + 1);
        assertInvalidPayload("status.update", "{\"task\":\"" + longText + "\"}");
        assertInvalidPayload("capability.broadcast", "{\"capabilities\":[\"" + longText + "\"]}");
        String tooMany = String.join(",", java.util.Collections.nCopies(Presence.MAX_CAPABILITIES + 1, "\"c\""));
        assertInvalidPayload("capability.broadcast", "{\"capabilities\":[" + tooMany + "]}");

        String enough = String.join(",", java.util.Collections.nCopies(Presence.MAX_CAPABILITIES, "\"c\""));
        presence.validate(request("s1", "capability.broadcast", "{\"capabilities\":[" + enough + "]}"));
    }

    @Test
    void otherEventTypesAreNotValidated() {
        presence.validate(request("s1", "chat.message", "{\"capabilities\":\"whatever\",\"status\":5}"));
    }

    @Test
    void findCapableRequiresEverySkillCaseInsensitively() {
        connectWith("s1", "[\"Python\",\"Review\"]");
        connectWith("s2", "[\"python\"]");
        connectWith("s3", "[\"REVIEW\",\"python\",\"go\"]");
        connectWith("s4", "[]");

        assertThat(presence.findCapable(List.of("python", "review"), false)).extracting(SessionRecord::sessionId)
                .containsExactlyInAnyOrder("s1", "s3");
        assertThat(presence.findCapable(List.of("PYTHON"), false)).extracting(SessionRecord::sessionId)
                .containsExactlyInAnyOrder("s1", "s2", "s3");
        assertThat(presence.findCapable(List.of("rust"), false)).isEmpty();
        assertThat(presence.findCapable(List.of(), false)).extracting(SessionRecord::sessionId)
                .containsExactlyInAnyOrder("s1", "s2", "s3", "s4");
    }

    @Test
    void findCapableNeverReturnsOfflineSessions() {
        connectWith("s1", "[\"python\"]");
        connectWith("s2", "[\"python\"]");
        presence.disconnected("s2");

        assertThat(presence.findCapable(List.of("python"), false)).extracting(SessionRecord::sessionId).containsExactly("s1");
    }

    @Test
    void availableOnlyKeepsIdleSessions() {
        connectWith("s1", "[\"python\"]");
        connectWith("s2", "[\"python\"]");
        publish("s2", "status.update", "{\"task\":\"busy with w1\"}");

        assertThat(presence.findCapable(List.of("python"), true)).extracting(SessionRecord::sessionId).containsExactly("s1");
        assertThat(presence.findCapable(List.of("python"), false)).extracting(SessionRecord::sessionId)
                .containsExactly("s1", "s2");
    }

    @Test
    void findCapableOrdersIdleFirstThenLongestIdle() {
        connectWith("busy-early", "[\"python\"]");
        publish("busy-early", "status.update", "{\"status\":\"working\"}");
        clock.advance(Duration.ofSeconds(1));
        connectWith("idle-recent", "[\"python\"]");
        clock.advance(Duration.ofSeconds(1));
        connectWith("idle-old", "[\"python\"]");
        clock.advance(Duration.ofSeconds(1));
        publish("idle-recent", "chat.message", "{}"); // its last event is now the newest

        assertThat(presence.findCapable(List.of("python"), false)).extracting(SessionRecord::sessionId)
                .containsExactly("idle-old", "idle-recent", "busy-early");
    }

    @Test
    void onlineIsLongestConnectedFirstAndAllIsById() {
        presence.connected("b");
        clock.advance(Duration.ofSeconds(1));
        presence.connected("a");
        clock.advance(Duration.ofSeconds(1));
        presence.connected("c");
        presence.disconnected("c");

        assertThat(presence.online()).extracting(SessionRecord::sessionId).containsExactly("b", "a");
        assertThat(presence.all()).extracting(SessionRecord::sessionId).containsExactly("a", "b", "c");
    }

    @Test
    void forgetsOnlySessionsOfflineBeforeTheCutoff() {
        presence.connected("old");
        presence.connected("recent");
        presence.connected("online");
        presence.disconnected("old");
        clock.advance(Duration.ofMinutes(30));
        presence.disconnected("recent");
        Instant cutoff = clock.instant().minus(Duration.ofMinutes(10));
        clock.advance(Duration.ofHours(5));

        presence.forgetOfflineBefore(cutoff);

        assertThat(presence.all()).extracting(SessionRecord::sessionId).containsExactly("online", "recent");
    }

    private void connectWith(String session, String capabilities) {
        presence.connected(session);
        publish(session, "capability.broadcast", "{\"capabilities\":" + capabilities + "}");
    }

    private void publish(String session, String type, String payload) {
        PublishRequest request = request(session, type, payload);
        presence.validate(request);
        presence.apply(request);
    }

    private void assertInvalidPayload(String type, String payload) {
        NexusException e = catchThrowableOfType(NexusException.class, () -> presence.validate(request("s1", type, payload)));
        assertThat(e).as("%s %s", type, payload).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PAYLOAD);
        assertThat(e.details()).containsEntry("field", "payload");
    }

    private static PublishRequest request(String session, String type, String payload) {
        try {
            return PublishRequest.of(type, session, (ObjectNode) WireJson.mapper().readTree(payload));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
