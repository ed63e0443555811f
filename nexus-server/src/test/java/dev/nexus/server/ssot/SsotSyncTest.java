package dev.nexus.server.ssot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.EncodedEvent;
import dev.nexus.core.Node;
import dev.nexus.core.NodeOptions;
import dev.nexus.core.SessionConnection;
import dev.nexus.core.routing.Subscriber;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.WireJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SsotSyncTest {
    /** FR-6: at most one second between an event and the file update. */
    private static final Duration FR6_DELAY = Duration.ofSeconds(1);
    private static final Subscriber NOWHERE = new Subscriber() {
        @Override
        public void deliver(EncodedEvent event) {
        }

        @Override
        public void disconnect(ErrorCode reason, String message) {
        }
    };

    @TempDir
    Path dir;

    private Node node;
    private final List<SsotSync> syncs = new ArrayList<>();

    @BeforeEach
    void startNode() {
        node = Node.start(NodeOptions.defaults().withRateLimitPerMinute(0));
    }

    @AfterEach
    void stop() {
        syncs.forEach(SsotSync::close);
        node.close();
    }

    @Test
    void startWritesAnInitialSnapshotOfWhatTheNodeAlreadyKnows() {
        node.connect("alpha", NOWHERE);
        SsotSync sync = started(dir, SsotSync.DEFAULT_HEARTBEAT_INTERVAL);

        await().atMost(FR6_DELAY).untilAsserted(() -> {
            JsonNode ssot = read(SsotFiles.SSOT_FILE);
            assertThat(ssot.path("service").asText()).isEqualTo("nexus-event-bus");
            assertThat(ssot.path("sessions").path("alpha").path("online").asBoolean()).isTrue();
            assertThat(ssot.path("sessions").path("alpha").path("status").asText()).isEqualTo("active");
            assertThat(ssot.path("summary").path("online_sessions").asInt()).isEqualTo(1);
            assertThat(read(SsotFiles.SESSIONS_FILE).path("sessions").path(0).path("session_id").asText())
                    .isEqualTo("alpha");
            assertThat(heartbeat("alpha").path("online").asBoolean()).isTrue();
        });
        assertThat(sync.healthy()).isTrue();
        assertThat(sync.lastWrite()).isNotNull();
        assertThat(sync.lastError()).isNull();
        assertThat(sync.directory()).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void sessionCapabilitiesAndStatusReachEveryFileWithinOneSecond() {
        started(dir, SsotSync.DEFAULT_HEARTBEAT_INTERVAL);
        await().atMost(FR6_DELAY).until(() -> Files.exists(dir.resolve(SsotFiles.SSOT_FILE)));

        SessionConnection alpha = node.connect("alpha", NOWHERE);
        ObjectNode capabilities = WireJson.mapper().createObjectNode().put("role", "Infrastructure Builder");
        capabilities.putArray("capabilities").add("java").add("python");
        alpha.publish(PublishRequest.of("capability.broadcast", "alpha", capabilities)).join();
        alpha.publish(PublishRequest.of("status.update", "alpha",
                WireJson.mapper().createObjectNode().put("status", "working").put("current_work", "Fix Registry"))).join();

        await().atMost(FR6_DELAY).untilAsserted(() -> {
            JsonNode session = read(SsotFiles.SSOT_FILE).path("sessions").path("alpha");
            assertThat(session.path("role").asText()).isEqualTo("Infrastructure Builder");
            assertThat(session.path("capabilities")).containsExactly(text("java"), text("python"));
            assertThat(session.path("status").asText()).isEqualTo("working");
            assertThat(session.path("current_work").asText()).isEqualTo("Fix Registry");
            assertThat(session.path("availability").asText()).isEqualTo("busy");

            JsonNode listed = read(SsotFiles.SESSIONS_FILE).path("sessions").path(0);
            assertThat(listed.path("session_id").asText()).isEqualTo("alpha");
            assertThat(listed.path("status").asText()).isEqualTo("working");
            assertThat(listed.path("current_work").asText()).isEqualTo("Fix Registry");
            assertThat(listed.path("role").asText()).isEqualTo("Infrastructure Builder");

            JsonNode beat = heartbeat("alpha");
            assertThat(beat.path("status").asText()).isEqualTo("working");
            assertThat(beat.path("current_work").asText()).isEqualTo("Fix Registry");
        });
    }

    @Test
    void claimsAndTheirCompletionReachTheFilesWithinOneSecond() {
        node.connect("alpha", NOWHERE);
        started(dir, SsotSync.DEFAULT_HEARTBEAT_INTERVAL);
        await().atMost(FR6_DELAY).until(() -> Files.exists(dir.resolve(SsotFiles.SSOT_FILE)));

        long token = node.work().claim("alpha", "w-1", "Fix Registry", null).fencingToken();

        await().atMost(FR6_DELAY).untilAsserted(() -> {
            JsonNode ssot = read(SsotFiles.SSOT_FILE);
            JsonNode claim = ssot.path("claimed_work").path(0);
            assertThat(claim.path("work_id").asText()).isEqualTo("w-1");
            assertThat(claim.path("claimed_by").asText()).isEqualTo("alpha");
            assertThat(claim.path("work_description").asText()).isEqualTo("Fix Registry");
            assertThat(claim.path("fencing_token").asLong()).isEqualTo(token);
            assertThat(claim.path("claimed_at").isTextual()).isTrue();
            assertThat(ssot.path("sessions").path("alpha").path("claimed_work")).containsExactly(text("w-1"));
            assertThat(ssot.path("summary").path("claimed_work").asInt()).isEqualTo(1);
            assertThat(heartbeat("alpha").path("claimed_work")).containsExactly(text("w-1"));
        });

        node.work().complete("alpha", "w-1", token, null);

        await().atMost(FR6_DELAY).untilAsserted(() -> {
            JsonNode ssot = read(SsotFiles.SSOT_FILE);
            assertThat(ssot.path("claimed_work")).isEmpty();
            assertThat(ssot.path("sessions").path("alpha").path("claimed_work")).isEmpty();
            assertThat(ssot.path("summary").path("claimed_work").asInt()).isZero();
        });
    }

    @Test
    void aClosedConnectionShowsTheSessionOfflineWithinOneSecond() {
        SessionConnection alpha = node.connect("alpha", NOWHERE);
        started(dir, SsotSync.DEFAULT_HEARTBEAT_INTERVAL);
        await().atMost(FR6_DELAY).until(() -> heartbeat("alpha").path("online").asBoolean());

        alpha.close();

        await().atMost(FR6_DELAY).untilAsserted(() -> {
            JsonNode ssot = read(SsotFiles.SSOT_FILE);
            JsonNode session = ssot.path("sessions").path("alpha");
            assertThat(session.path("online").asBoolean()).isFalse();
            assertThat(session.path("availability").asText()).isEqualTo("offline");
            assertThat(session.path("disconnected_at").isTextual()).isTrue();
            assertThat(ssot.path("summary").path("online_sessions").asInt()).isZero();
            assertThat(ssot.path("summary").path("total_sessions").asInt()).isEqualTo(1);
            assertThat(read(SsotFiles.SESSIONS_FILE).path("sessions").path(0).path("online").asBoolean()).isFalse();
            assertThat(heartbeat("alpha").path("online").asBoolean()).isFalse();
        });
    }

    @Test
    void readersAlwaysParseCompleteFilesWhileAStreamOfChangesRewritesThem() throws Exception {
        List<String> sessions = List.of("s-0", "s-1", "s-2", "s-3");
        sessions.forEach(id -> node.connect(id, NOWHERE));
        started(dir, SsotSync.DEFAULT_HEARTBEAT_INTERVAL);
        await().atMost(FR6_DELAY).until(() -> Files.exists(dir.resolve(SsotFiles.SESSIONS_FILE))
                && Files.exists(dir.resolve(SsotFiles.SSOT_FILE)));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger published = new AtomicInteger();
        AtomicInteger parsed = new AtomicInteger();
        Set<String> versionsSeen = ConcurrentHashMap.newKeySet();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread publisher = new Thread(() -> {
            try {
                while (!stop.get()) {
                    int n = published.getAndIncrement();
                    String id = sessions.get(n % sessions.size());
                    node.publish(PublishRequest.of("status.update", id,
                            WireJson.mapper().createObjectNode().put("status", "update-" + n))).join();
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }, "test-publisher");
        Thread reader = new Thread(() -> {
            try {
                while (!stop.get()) {
                    JsonNode ssot = WireJson.mapper().readTree(Files.readAllBytes(dir.resolve(SsotFiles.SSOT_FILE)));
                    assertThat(ssot.path("sessions").size()).isEqualTo(sessions.size());
                    assertThat(ssot.path("summary").path("online_sessions").asInt()).isEqualTo(sessions.size());
                    JsonNode list = WireJson.mapper().readTree(Files.readAllBytes(dir.resolve(SsotFiles.SESSIONS_FILE)));
                    assertThat(list.path("sessions").size()).isEqualTo(sessions.size());
                    assertThat(list.path("sessions").findValuesAsText("status")).allMatch(s -> !s.isEmpty());
                    versionsSeen.add(ssot.path("updated_at").asText() + "/" + ssot.path("seq").asLong());
                    parsed.incrementAndGet();
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }, "test-reader");
        publisher.start();
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> !failures.isEmpty()
                    || (published.get() >= 5_000 && versionsSeen.size() >= 5));
        } finally {
            stop.set(true);
            publisher.join();
            reader.join();
        }

        assertThat(failures).isEmpty();
        assertThat(parsed.get()).isPositive();
        int last = published.get() - 1;
        await().atMost(FR6_DELAY).untilAsserted(() -> {
            JsonNode ssot = read(SsotFiles.SSOT_FILE);
            for (int n = last - sessions.size() + 1; n <= last; n++) {
                String id = sessions.get(n % sessions.size());
                assertThat(ssot.path("sessions").path(id).path("status").asText()).isEqualTo("update-" + n);
            }
        });
    }

    @Test
    void heartbeatsOfOnlineSessionsAreRefreshedEveryIntervalWithoutChanges() throws IOException {
        SessionConnection beta = node.connect("beta", NOWHERE);
        beta.close();
        node.connect("alpha", NOWHERE);
        started(dir, Duration.ofMillis(200));
        await().atMost(FR6_DELAY).until(() -> heartbeat("beta").has("timestamp"));
        Instant alphaFirst = timestamp(heartbeat("alpha"));
        Instant betaFirst = timestamp(heartbeat("beta"));

        await().atMost(Duration.ofSeconds(2)).until(() -> timestamp(heartbeat("alpha")).isAfter(alphaFirst));
        Instant alphaSecond = timestamp(heartbeat("alpha"));
        await().atMost(Duration.ofSeconds(2)).until(() -> timestamp(heartbeat("alpha")).isAfter(alphaSecond));

        assertThat(timestamp(heartbeat("beta"))).as("an offline session's heartbeat is not refreshed")
                .isEqualTo(betaFirst);
    }

    @Test
    void theHeartbeatOfAForgottenSessionIsDeletedButOtherToolsHeartbeatsStay() throws IOException {
        node.close();
        MutableClock clock = new MutableClock(Instant.parse("2025-11-17T07:00:00Z"));
        node = Node.start(NodeOptions.defaults().withRateLimitPerMinute(0).withClock(clock));
        Files.createDirectories(dir.resolve("heartbeats"));
        Files.writeString(dir.resolve("heartbeats/other-tool.json"), "{}");
        node.connect("alpha", NOWHERE);
        node.connect("gone", NOWHERE).close();
        SsotSync sync = new SsotSync(dir, node, Duration.ofMillis(200), clock);
        syncs.add(sync);
        sync.start();
        await().atMost(FR6_DELAY).until(() -> heartbeat("gone").path("online").isBoolean());

        clock.advance(node.options().sessionRetention().plusMinutes(1));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(dir.resolve("heartbeats/gone.json")).doesNotExist();
            assertThat(read(SsotFiles.SSOT_FILE).path("sessions").has("gone")).isFalse();
        });
        assertThat(dir.resolve("heartbeats/alpha.json")).exists();
        assertThat(dir.resolve("heartbeats/other-tool.json")).hasContent("{}");
    }

    @Test
    void closeWritesTheFinalStateBeforeItReturns() throws IOException {
        SsotSync sync = started(dir, SsotSync.DEFAULT_HEARTBEAT_INTERVAL);
        await().atMost(FR6_DELAY).until(() -> Files.exists(dir.resolve(SsotFiles.SSOT_FILE)));
        SessionConnection alpha = node.connect("alpha", NOWHERE);
        alpha.publish(PublishRequest.of("status.update", "alpha",
                WireJson.mapper().createObjectNode().put("status", "shutting down"))).join();

        sync.close();

        JsonNode session = read(SsotFiles.SSOT_FILE).path("sessions").path("alpha");
        assertThat(session.path("status").asText()).isEqualTo("shutting down");
        assertThat(heartbeat("alpha").path("status").asText()).isEqualTo("shutting down");
        assertThat(sync.healthy()).isTrue();
        sync.close();
    }

    @Test
    void anUnwritableDirectoryMakesItUnhealthyWithoutFailingPublishers() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        SsotSync sync = started(notADirectory, SsotSync.DEFAULT_HEARTBEAT_INTERVAL);

        await().atMost(FR6_DELAY).until(() -> !sync.healthy());
        assertThat(sync.lastError()).isNotBlank();
        SessionConnection alpha = node.connect("alpha", NOWHERE);
        assertThat(alpha.publish(PublishRequest.of("status.update", "alpha",
                WireJson.mapper().createObjectNode().put("status", "working")))).succeedsWithin(FR6_DELAY);
        assertThat(sync.healthy()).isFalse();
        sync.close();
        assertThat(sync.healthy()).isFalse();
    }

    @Test
    void aFailedSyncIsRetriedAtTheNextChange() throws IOException {
        Path blocker = Files.writeString(dir.resolve("blocker"), "x");
        Path ssotDir = blocker.resolve("ssot");
        SsotSync sync = started(ssotDir, SsotSync.DEFAULT_HEARTBEAT_INTERVAL);
        await().atMost(FR6_DELAY).until(() -> !sync.healthy());

        Files.delete(blocker);
        node.connect("alpha", NOWHERE);

        await().atMost(FR6_DELAY).until(sync::healthy);
        assertThat(WireJson.mapper().readTree(ssotDir.resolve(SsotFiles.SSOT_FILE).toFile())
                .path("sessions").has("alpha")).isTrue();
        assertThat(sync.lastError()).isNull();
    }

    @Test
    void lifecycle() {
        SsotSync neverStarted = new SsotSync(dir.resolve("unused"), node, SsotSync.DEFAULT_HEARTBEAT_INTERVAL,
                Clock.systemUTC());
        neverStarted.close();
        neverStarted.close();
        assertThat(dir.resolve("unused")).doesNotExist();
        assertThatThrownBy(neverStarted::start).isInstanceOf(IllegalStateException.class);

        SsotSync sync = started(dir, SsotSync.DEFAULT_HEARTBEAT_INTERVAL);
        assertThatThrownBy(sync::start).isInstanceOf(IllegalStateException.class);
        int subscriptionsWhileRunning = node.subscriptionCount();
        sync.close();
        assertThat(node.subscriptionCount()).isEqualTo(subscriptionsWhileRunning - 4);

        assertThatThrownBy(() -> new SsotSync(dir, node, Duration.ZERO, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private SsotSync started(Path ssotDir, Duration heartbeatInterval) {
        SsotSync sync = new SsotSync(ssotDir, node, heartbeatInterval, Clock.systemUTC());
        syncs.add(sync);
        sync.start();
        return sync;
    }

    private JsonNode heartbeat(String sessionId) throws IOException {
        return read("heartbeats/" + sessionId + ".json");
    }

    /** The parsed file, or a missing node while it does not exist yet; a file that does not parse fails. */
    private JsonNode read(String file) throws IOException {
        try {
            return WireJson.mapper().readTree(Files.readAllBytes(dir.resolve(file)));
        } catch (NoSuchFileException e) {
            return MissingNode.getInstance();
        }
    }

    private static Instant timestamp(JsonNode heartbeat) {
        return Instant.parse(heartbeat.path("timestamp").asText());
    }

    private static JsonNode text(String value) {
        return WireJson.mapper().getNodeFactory().textNode(value);
    }
}
