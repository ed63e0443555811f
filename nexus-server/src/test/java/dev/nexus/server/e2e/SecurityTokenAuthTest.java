package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.server.auth.AuthSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code --auth token} over real sockets: who may connect, publish and act on claims, and what is refused. */
class SecurityTokenAuthTest {
    static final String ALICE_TOKEN = "alice-secret-token-0001";
    static final String BOB_TOKEN = "bob-secret-token-000002";

    @TempDir
    Path dir;
    Path tokens;
    TestServer nexus;

    @BeforeEach
    void start() throws IOException {
        tokens = dir.resolve("tokens.json");
        Files.writeString(tokens, "{\"alice\":\"" + ALICE_TOKEN + "\",\"bob\":\"" + BOB_TOKEN + "\"}");
        nexus = TestServer.start(b -> b.auth(AuthSettings.none().withTokens(tokens)
                .withAuthTimeout(Duration.ofMillis(500))));
    }

    @AfterEach
    void stop() {
        nexus.close();
    }

    @Test
    void aRequestWithoutATokenIsRefusedWith401ButHealthStaysOpen() {
        Http.Response refused = nexus.http.post("/events", publishBody("alice"));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("error").asText()).isEqualTo("auth_required");
        assertThat(refused.header("www-authenticate")).startsWith("Bearer");
        assertThat(nexus.http.get("/sessions/active").status()).isEqualTo(401);
        assertThat(nexus.http.get("/health").status()).isEqualTo(200);
        assertThat(nexus.http.get("/capabilities").status()).isEqualTo(200);
        assertThat(history("sec.note")).isZero();
    }

    @Test
    void aWrongTokenIsRefusedWith401() {
        Http.Response refused = nexus.http.as("not-a-token-anyone-has").post("/events", publishBody("alice"));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("error").asText()).isEqualTo("invalid_token");
        assertThat(refused.json().path("message").asText()).doesNotContain("not-a-token-anyone-has");
        Http.Response basic = nexus.http.send(java.net.http.HttpRequest.newBuilder(nexus.server.httpUri().resolve("/work/claimed"))
                .header("Authorization", "Basic " + ALICE_TOKEN).GET());
        assertThat(basic.status()).isEqualTo(401);
        assertThat(history("sec.note")).isZero();
    }

    @Test
    void aSessionPublishesAsItselfOnlyAndNothingRefusedIsStored() {
        Http alice = nexus.http.as(ALICE_TOKEN);
        assertThat(alice.post("/events", publishBody("alice")).status()).isEqualTo(200);

        Http.Response spoofed = alice.post("/events", publishBody("bob"));
        assertThat(spoofed.status()).isEqualTo(403);
        assertThat(spoofed.json().path("error").asText()).isEqualTo("forbidden");
        assertThat(spoofed.json().path("session_id").asText()).isEqualTo("bob");

        JsonNode events = alice.get("/events/history?event_type=sec.note").json().path("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("session_id").asText()).isEqualTo("alice");
    }

    @Test
    void aSessionReleasesAndCompletesOnlyItsOwnClaims() {
        Http alice = nexus.http.as(ALICE_TOKEN);
        Http bob = nexus.http.as(BOB_TOKEN);
        assertThat(alice.post("/work/claim", "{\"session_id\":\"alice\",\"work_id\":\"w-1\"}").status()).isEqualTo(200);
        assertThat(bob.post("/work/claim", "{\"session_id\":\"alice\",\"work_id\":\"w-2\"}").status()).isEqualTo(403);

        Http.Response asAlice = bob.post("/work/release", "{\"session_id\":\"alice\",\"work_id\":\"w-1\"}");
        assertThat(asAlice.status()).isEqualTo(403);
        assertThat(asAlice.json().path("error").asText()).isEqualTo("forbidden");
        Http.Response asItself = bob.post("/work/release", "{\"session_id\":\"bob\",\"work_id\":\"w-1\"}");
        assertThat(asItself.status()).isEqualTo(403);
        assertThat(asItself.json().path("error").asText()).isEqualTo("not_claim_holder");
        assertThat(bob.post("/work/complete", "{\"session_id\":\"alice\",\"work_id\":\"w-1\"}").status()).isEqualTo(403);

        JsonNode claims = alice.get("/work/claimed").json().path("claims");
        assertThat(claims).hasSize(1);
        assertThat(claims.get(0).path("claimed_by").asText()).isEqualTo("alice");
        assertThat(alice.post("/work/complete", "{\"session_id\":\"alice\",\"work_id\":\"w-1\"}").status()).isEqualTo(200);
    }

    @Test
    void aSessionReadsAndAcknowledgesOnlyItsOwnInbox() {
        Http alice = nexus.http.as(ALICE_TOKEN);
        Http bob = nexus.http.as(BOB_TOKEN);
        assertThat(bob.post("/events", "{\"event_type\":\"message.direct\",\"session_id\":\"bob\","
                + "\"target_session_id\":\"alice\",\"payload\":{\"text\":\"for alice only\"}}").status()).isEqualTo(200);

        Http.Response snooping = bob.get("/sessions/alice/inbox");
        assertThat(snooping.status()).isEqualTo(403);
        assertThat(snooping.json().path("error").asText()).isEqualTo("forbidden");
        assertThat(snooping.raw().body()).doesNotContain("for alice only");
        Http.Response ackingForHer = bob.post("/sessions/alice/inbox/ack", "{\"up_to_seq\":1000}");
        assertThat(ackingForHer.status()).isEqualTo(403);
        assertThat(nexus.http.get("/sessions/alice/inbox").status()).isEqualTo(401);

        JsonNode own = alice.get("/sessions/alice/inbox?unread=true").json();
        assertThat(own.path("unread").asInt()).as("nothing refused was applied").isEqualTo(1);
        assertThat(own.path("messages").get(0).path("event").path("session_id").asText())
                .as("the true sender").isEqualTo("bob");
    }

    @Test
    void theAdminTokenOpensTheOperatorEndpointsWhereASessionTokenDoesNot() {
        String adminToken = "operator-secret-0123456789";
        try (TestServer guarded = TestServer.start(b -> b.auth(AuthSettings.none().withTokens(tokens))
                .adminToken(dev.nexus.server.Secret.of(adminToken, "--admin-token")))) {
            assertThat(guarded.http.as(adminToken).get("/admin/work/stale").status()).isEqualTo(200);
            Http.Response asSession = guarded.http.as(ALICE_TOKEN).get("/admin/work/stale");
            assertThat(asSession.status()).isEqualTo(401);
            assertThat(asSession.json().path("error").asText()).isEqualTo("invalid_token");
            assertThat(guarded.http.as(adminToken).post("/events", publishBody("alice")).status())
                    .as("the admin token is no session credential").isEqualTo(401);
        }
    }

    @Test
    void aWebSocketAuthenticatesWithABearerHeaderForItsOwnSessionOnly() {
        try (WsClient alice = connect("alice", Map.of("Authorization", "Bearer " + ALICE_TOKEN))) {
            assertThat(alice.publish("sec.ws", "{}").path("type").asText()).isEqualTo("ack");
            alice.send("{\"action\":\"publish\",\"id\":\"spoof\",\"event_type\":\"sec.ws\",\"session_id\":\"bob\",\"payload\":{}}");
            assertThat(alice.awaitReply("spoof").path("error").asText()).isEqualTo("forbidden");
            alice.send("{\"action\":\"release\",\"id\":\"rel\",\"work_id\":\"bobs-work\"}");
            assertThat(alice.awaitReply("rel").path("error").asText()).isEqualTo("claim_not_found");
        }
        URI bob = nexus.server.webSocketUri().resolve("/ws/session/bob");
        assertThat(WsClient.refusedUpgradeStatus(bob, Map.of("Authorization", "Bearer " + ALICE_TOKEN))).isEqualTo(403);
        assertThat(WsClient.refusedUpgradeStatus(bob, Map.of("Authorization", "Bearer wrong-token-wrong-token"))).isEqualTo(401);
        assertThat(nexus.http.as(ALICE_TOKEN).get("/sessions/bob").status()).isEqualTo(404);
    }

    @Test
    void aBrowserAuthenticatesWithAFirstAuthFrame() {
        try (WsClient alice = connect("alice", Map.of())) {
            assertThat(nexus.http.as(ALICE_TOKEN).get("/sessions/active").json().path("count").asInt()).isZero();
            alice.send("{\"action\":\"auth\",\"id\":\"a1\",\"token\":\"" + ALICE_TOKEN + "\"}");
            JsonNode ack = alice.awaitReply("a1");
            assertThat(ack.path("type").asText()).isEqualTo("ack");
            assertThat(ack.path("session_id").asText()).isEqualTo("alice");
            assertThat(alice.publish("sec.ws", "{}").path("type").asText()).isEqualTo("ack");
            assertThat(nexus.http.as(ALICE_TOKEN).get("/sessions/alice").json().path("online").asBoolean()).isTrue();
        }
    }

    @Test
    void aConnectionWithoutAnAuthFrameInTimeIsClosed() {
        try (WsClient silent = connect("alice", Map.of())) {
            assertThat(silent.closeCode().join()).isEqualTo(1008);
            assertThat(silent.drain()).anySatisfy(m -> assertThat(m.path("error").asText()).isEqualTo("auth_required"));
        }
        try (WsClient eager = connect("alice", Map.of())) {
            eager.send("{\"action\":\"publish\",\"event_type\":\"sec.ws\",\"payload\":{}}");
            assertThat(eager.closeCode().join()).isEqualTo(1008);
        }
        try (WsClient wrong = connect("alice", Map.of())) {
            wrong.send("{\"action\":\"auth\",\"token\":\"" + BOB_TOKEN + "\"}");
            assertThat(wrong.closeCode().join()).isEqualTo(1008);
            assertThat(wrong.drain()).anySatisfy(m -> assertThat(m.path("error").asText()).isEqualTo("forbidden"));
        }
        assertThat(history("sec.ws")).isZero();
        assertThat(nexus.http.as(ALICE_TOKEN).get("/sessions/alice").status()).isEqualTo(404);
    }

    @Test
    void queryStringTokensAreIgnoredUnlessEnabled() {
        try (WsClient viaQuery = connect("alice?access_token=" + ALICE_TOKEN, Map.of())) {
            assertThat(viaQuery.closeCode().join()).as("the query token does not count").isEqualTo(1008);
        }
        try (TestServer allowing = TestServer.start(b -> b.auth(AuthSettings.none().withTokens(tokens).withQueryTokens(true)));
                WsClient viaQuery = WsClient.connect(allowing.server.webSocketUri()
                        .resolve("/ws/session/alice?access_token=" + ALICE_TOKEN))) {
            assertThat(viaQuery.publish("sec.ws", "{}").path("type").asText()).isEqualTo("ack");
        }
    }

    @Test
    void theTokensFileIsReloadedWhenItChanges() throws IOException {
        String carolToken = "carol-secret-token-0003";
        Files.writeString(tokens, "{\"sessions\":[{\"session_id\":\"carol\",\"token\":\"" + carolToken + "\"},"
                + "{\"session_id\":\"dave\",\"role\":\"no token, no access\"}]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> nexus.http.as(carolToken).get("/work/claimed").status() == 200);
        assertThat(nexus.http.as(ALICE_TOKEN).get("/work/claimed").status()).isEqualTo(401);
    }

    @Test
    void aWebSocketWhoseTokenIsWithdrawnIsClosedAndOthersStayOpen() throws IOException {
        String aliceNewToken = "alice-secret-token-NEW-0001";
        try (WsClient alice = connect("alice", Map.of("Authorization", "Bearer " + ALICE_TOKEN));
                WsClient bob = connect("bob", Map.of("Authorization", "Bearer " + BOB_TOKEN))) {
            assertThat(alice.publish("sec.ws", "{}").path("type").asText()).isEqualTo("ack");

            Files.writeString(tokens, "{\"alice\":\"" + aliceNewToken + "\",\"bob\":\"" + BOB_TOKEN + "\"}");

            assertThat(alice.closeCode().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join()).isEqualTo(4005);
            assertThat(alice.drain()).anySatisfy(m -> assertThat(m.path("error").asText()).isEqualTo("token_revoked"));
            assertThat(bob.publish("sec.ws", "{}").path("type").asText()).as("bob's token did not change")
                    .isEqualTo("ack");
        }
        try (WsClient again = connect("alice", Map.of("Authorization", "Bearer " + aliceNewToken))) {
            assertThat(again.publish("sec.ws", "{}").path("type").asText()).isEqualTo("ack");
        }
        assertThat(WsClient.refusedUpgradeStatus(nexus.server.webSocketUri().resolve("/ws/session/alice"),
                Map.of("Authorization", "Bearer " + ALICE_TOKEN))).isEqualTo(401);
    }

    @Test
    void tokensNeverReachTheLog() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger nexusLogger = (Logger) LoggerFactory.getLogger("dev.nexus");
        Level before = nexusLogger.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        nexusLogger.setLevel(Level.DEBUG);
        String wrong = "wrong-token-for-the-log-test";
        try {
            nexus.http.as(wrong).post("/events", publishBody("alice"));
            nexus.http.as(ALICE_TOKEN).post("/events", publishBody("alice"));
            nexus.http.as(ALICE_TOKEN).post("/events", publishBody("bob"));
            try (WsClient ws = connect("alice", Map.of())) {
                ws.send("{\"action\":\"auth\",\"token\":\"" + wrong + "\"}");
                ws.closeCode().join();
            }
            try (WsClient ws = connect("alice", Map.of())) {
                ws.send("{\"action\":\"auth\",\"id\":1,\"token\":\"" + ALICE_TOKEN + "\"}");
                ws.awaitReply("1");
                ws.send("{\"action\":\"auth\",\"id\":2,\"token\":\"" + BOB_TOKEN + "\"}");
                ws.awaitReply("2");
            }
        } finally {
            nexusLogger.setLevel(before);
            root.detachAppender(captured);
        }
        List<String> logged = captured.list.stream()
                .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage()))
                .toList();
        assertThat(logged).isNotEmpty().noneMatch(line -> line.contains(wrong) || line.contains(ALICE_TOKEN)
                || line.contains(BOB_TOKEN));
    }

    private WsClient connect(String pathAndQuery, Map<String, String> headers) {
        return WsClient.connect(HttpClient.newHttpClient(),
                nexus.server.webSocketUri().resolve("/ws/session/" + pathAndQuery), headers);
    }

    private int history(String eventType) {
        return nexus.http.as(ALICE_TOKEN).get("/events/history?event_type=" + eventType).json().path("count").asInt();
    }

    private static String publishBody(String sessionId) {
        return "{\"event_type\":\"sec.note\",\"session_id\":\"" + sessionId + "\",\"payload\":{\"n\":1}}";
    }
}
