package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.server.auth.AuthSettings;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --acl-file} over real sockets, with {@code --auth token}: a session publishes and subscribes only within
 * its allow-lists, over HTTP and WebSocket alike; refusals are 403 {@code forbidden_topic} and nothing refused is
 * stored or subscribed.
 */
class SecurityTopicAclTest {
    static final String ALICE = "alice-secret-token-0001";
    static final String BOB = "bob-secret-token-000002";
    static final String CAROL = "carol-secret-token-0003";
    static final String AUDITOR = "auditor-secret-token-04";

    @TempDir
    Path dir;
    TestServer nexus;

    @BeforeEach
    void start() throws IOException {
        Path tokens = dir.resolve("tokens.json");
        Files.writeString(tokens, "{\"alice\":\"" + ALICE + "\",\"bob\":\"" + BOB + "\",\"carol\":\"" + CAROL
                + "\",\"auditor\":\"" + AUDITOR + "\"}");
        Path acl = dir.resolve("acl.json");
        Files.writeString(acl, """
                {
                  "alice": {"publish": ["work.>", "status.update"], "subscribe": ["work.>", "session.*"]},
                  "carol": {},
                  "auditor": {"subscribe": [">"]},
                  "*": {"publish": ["chat.*"], "subscribe": ["chat.*"]}
                }
                """);
        nexus = TestServer.start(b -> b.auth(AuthSettings.none().withTokens(tokens)).aclFile(acl));
    }

    @AfterEach
    void stop() {
        nexus.close();
    }

    @Test
    void anHttpPublishOutsideThePublishListIsRefusedAndNotStored() {
        Http alice = nexus.http.as(ALICE);
        assertThat(alice.post("/events", publishBody("work.started", "alice")).status()).isEqualTo(200);
        assertThat(alice.post("/events", publishBody("status.update", "alice")).status()).isEqualTo(200);

        Http.Response refused = alice.post("/events", publishBody("chat.hello", "alice"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("error").asText()).isEqualTo("forbidden_topic");
        assertThat(refused.json().path("event_type").asText()).isEqualTo("chat.hello");
        assertThat(refused.json().path("session_id").asText()).isEqualTo("alice");
        assertThat(history("chat.hello")).isZero();

        // bob is not listed: the "*" entry applies to him
        Http bob = nexus.http.as(BOB);
        assertThat(bob.post("/events", publishBody("chat.hello", "bob")).status()).isEqualTo(200);
        assertThat(bob.post("/events", publishBody("work.started", "bob")).json().path("error").asText())
                .isEqualTo("forbidden_topic");
        assertThat(history("chat.hello")).isEqualTo(1);
        assertThat(history("work.started")).isEqualTo(1);
    }

    @Test
    void webSocketPublishAndSubscribeAreCheckedAndTheConnectionKeepsWorking() {
        try (WsClient alice = connect("alice", ALICE); WsClient bob = connect("bob", BOB)) {
            assertThat(alice.publish("work.noted", "{}").path("type").asText()).isEqualTo("ack");
            JsonNode refusedPublish = alice.publish("chat.hello", "{}");
            assertThat(refusedPublish.path("type").asText()).isEqualTo("error");
            assertThat(refusedPublish.path("error").asText()).isEqualTo("forbidden_topic");
            assertThat(refusedPublish.path("event_type").asText()).isEqualTo("chat.hello");

            // a wildcard wider than the allow-list is refused, and the whole frame with it
            JsonNode refusedSubscribe = alice.subscribe("work.*", ">");
            assertThat(refusedSubscribe.path("error").asText()).isEqualTo("forbidden_topic");
            assertThat(refusedSubscribe.path("pattern").asText()).isEqualTo(">");
            assertThat(alice.subscribe("work.*.done").path("error").isMissingNode()).isTrue();
            JsonNode ack = alice.subscribe("session.*");
            assertThat(ack.path("type").asText()).isEqualTo("ack");
            assertThat(ack.path("subscriptions")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("work.*.done", "session.*");

            // bob publishes where alice may not listen; alice gets only what her subscriptions cover
            assertThat(bob.subscribe("work.*").path("error").asText()).isEqualTo("forbidden_topic");
            assertThat(bob.publish("chat.hello", "{}").path("type").asText()).isEqualTo("ack");
            assertThat(alice.publish("work.x.done", "{}").path("type").asText()).isEqualTo("ack");
            assertThat(alice.awaitEvent("work.x.done").path("session_id").asText()).isEqualTo("alice");
            assertThat(history("chat.hello")).isEqualTo(1);
            assertThat(alice.ping("still-open").path("type").asText()).isEqualTo("pong");
        }
    }

    @Test
    void historyIsReadOnlyWhereTheSubscribeListAllows() {
        Http alice = nexus.http.as(ALICE);
        assertThat(alice.post("/events", publishBody("work.started", "alice")).status()).isEqualTo(200);
        assertThat(alice.get("/events/history?event_type=work.*").json().path("count").asInt()).isEqualTo(1);
        Http.Response everything = alice.get("/events/history");
        assertThat(everything.status()).isEqualTo(403);
        assertThat(everything.json().path("error").asText()).isEqualTo("forbidden_topic");
        assertThat(everything.json().path("pattern").asText()).isEqualTo(">");
        assertThat(alice.get("/events/history?event_type=chat.*").json().path("error").asText())
                .isEqualTo("forbidden_topic");
    }

    @Test
    void aSessionListedWithNoListsMayNeitherPublishNorSubscribe() {
        assertThat(nexus.http.as(CAROL).post("/events", publishBody("chat.hello", "carol")).json()
                .path("error").asText()).isEqualTo("forbidden_topic");
        try (WsClient carol = connect("carol", CAROL)) {
            assertThat(carol.subscribe("chat.*").path("error").asText()).isEqualTo("forbidden_topic");
            assertThat(carol.publish("chat.hello", "{}").path("error").asText()).isEqualTo("forbidden_topic");
        }
        assertThat(history("chat.hello")).isZero();
    }

    @Test
    void aBrokenAclFileStopsTheStartWithASentence() throws IOException {
        Path broken = dir.resolve("broken-acl.json");
        Files.writeString(broken, "{\"alice\": {\"publish\": [\"work..x\"]}}");
        assertThatThrownBy(() -> TestServer.start(b -> b.aclFile(broken)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--acl-file")
                .hasMessageContaining("alice")
                .hasMessageContaining("work..x");
    }

    @Test
    void aChangedAclFileAppliesWithoutARestartAndClosesOnlyConnectionsItNoLongerAllows() throws IOException {
        try (WsClient alice = connect("alice", ALICE); WsClient bob = connect("bob", BOB)) {
            assertThat(alice.subscribe("work.*").path("type").asText()).isEqualTo("ack");
            assertThat(bob.subscribe("chat.*").path("type").asText()).isEqualTo("ack");

            // alice loses work.> and gains deploy.>; the "*" entry, bob's, does not change
            Files.writeString(dir.resolve("acl.json"), """
                    {
                      "alice": {"publish": ["deploy.>"], "subscribe": ["deploy.>"]},
                      "*": {"publish": ["chat.*"], "subscribe": ["chat.*"]}
                    }
                    """);

            assertThat(alice.closeCode().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join()).isEqualTo(1008);
            assertThat(alice.drain()).anySatisfy(m -> {
                assertThat(m.path("error").asText()).isEqualTo("forbidden_topic");
                assertThat(m.path("message").asText()).contains("work.*");
            });
            assertThat(bob.publish("chat.hello", "{}").path("type").asText()).as("bob's rules did not change")
                    .isEqualTo("ack");
            assertThat(bob.awaitEvent("chat.hello").path("session_id").asText()).isEqualTo("bob");
        }
        Http alice = nexus.http.as(ALICE);
        assertThat(alice.post("/events", publishBody("deploy.started", "alice")).status()).isEqualTo(200);
        assertThat(alice.post("/events", publishBody("work.started", "alice")).status()).isEqualTo(403);
        try (WsClient again = connect("alice", ALICE)) {
            assertThat(again.subscribe("work.*").path("error").asText()).isEqualTo("forbidden_topic");
            assertThat(again.subscribe("deploy.*").path("type").asText()).isEqualTo("ack");
        }
    }

    @Test
    void aBrokenAclFileLeavesThePreviousRulesInForce() throws IOException {
        ch.qos.logback.classic.Logger aclLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(dev.nexus.server.auth.AclFile.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        aclLog.addAppender(captured);
        try {
            Files.writeString(dir.resolve("acl.json"), "{\"alice\": {\"publish\": \"not a list\"}}");

            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> captured.list
                    .stream().anyMatch(e -> e.getFormattedMessage().contains("the previous topic ACLs stay in force")));
        } finally {
            aclLog.detachAppender(captured);
        }

        Http alice = nexus.http.as(ALICE);
        assertThat(alice.post("/events", publishBody("work.started", "alice")).status()).isEqualTo(200);
        assertThat(alice.post("/events", publishBody("chat.hello", "alice")).status()).isEqualTo(403);
    }

    private WsClient connect(String sessionId, String token) {
        return WsClient.connect(HttpClient.newHttpClient(), nexus.server.webSocketUri().resolve("/ws/session/" + sessionId),
                Map.of("Authorization", "Bearer " + token));
    }

    private int history(String eventType) {
        return nexus.http.as(AUDITOR).get("/events/history?event_type=" + eventType).json().path("count").asInt();
    }

    private static String publishBody(String eventType, String sessionId) {
        return "{\"event_type\":\"" + eventType + "\",\"session_id\":\"" + sessionId + "\",\"payload\":{}}";
    }
}
