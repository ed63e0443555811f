package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The WebSocket protocol: subscriptions filtered on the server, replies, refusals, and the upgrade checks. */
class WebSocketProtocolTest {
    @RegisterExtension
    final ServerPerTest nexus = new ServerPerTest();

    @Test
    void wildcardSubscriptionsAreFilteredOnTheServer() {
        try (WsClient oneLevel = nexus.connect("one-level");
                WsClient deep = nexus.connect("deep");
                WsClient everything = nexus.connect("everything")) {
            oneLevel.subscribe("work.*");
            deep.subscribe("work.>");
            everything.subscribe(">");

            publishHttp("work.a.b", "publisher");
            publishHttp("help.needed", "publisher");
            publishHttp("broadcast", "publisher");
            assertThat(nexus.http.post("/work/claim", "{\"session_id\":\"publisher\",\"work_id\":\"w\"}").status())
                    .isEqualTo(200);
            publishHttp("work.marker", "publisher");

            assertThat(eventTypes(oneLevel.takeUntilEvent("work.marker"))).containsExactly("work.claimed", "work.marker");
            assertThat(eventTypes(deep.takeUntilEvent("work.marker")))
                    .containsExactly("work.a.b", "work.claimed", "work.marker");
            assertThat(eventTypes(everything.takeUntilEvent("work.marker")))
                    .containsExactly("work.a.b", "help.needed", "broadcast", "work.claimed", "work.marker");
        }
    }

    @Test
    void doubleStarIsTheSameSubscriptionAsGreaterThan() {
        try (WsClient ws = nexus.connect("stars")) {
            JsonNode ack = ws.subscribe("work.**");
            assertThat(texts(ack.path("subscriptions"))).containsExactly("work.>");
            JsonNode again = ws.subscribe("work.>");
            assertThat(texts(again.path("subscriptions"))).containsExactly("work.>");

            publishHttp("work.x.y.z", "p");
            JsonNode event = ws.awaitEvent("work.x.y.z");
            assertThat(event.path("session_id").asText()).isEqualTo("p");
            // one subscription, so one delivery: the marker comes right after
            publishHttp("work.marker", "p");
            assertThat(eventTypes(ws.takeUntilEvent("work.marker"))).containsExactly("work.marker");
        }
    }

    @Test
    void unsubscribeStopsDelivery() {
        try (WsClient ws = nexus.connect("unsubscriber")) {
            ws.subscribe("news.*", "marker");
            publishHttp("news.first", "p");
            ws.awaitEvent("news.first");

            ws.send("{\"action\":\"unsubscribe\",\"id\":\"u1\",\"topics\":[\"news.*\"]}");
            JsonNode ack = ws.awaitReply("u1");
            assertThat(ack.path("type").asText()).isEqualTo("ack");
            assertThat(ack.path("action").asText()).isEqualTo("unsubscribe");
            assertThat(texts(ack.path("subscriptions"))).containsExactly("marker");

            publishHttp("news.second", "p");
            publishHttp("marker", "p");
            assertThat(eventTypes(ws.takeUntilEvent("marker"))).containsExactly("marker");
        }
    }

    @Test
    void acksPongsAndEventsHaveTheirShapesAndEchoTheId() {
        try (WsClient ws = nexus.connect("shapes")) {
            ws.send("{\"action\":\"subscribe\",\"id\":17,\"topics\":[\"shape.*\"]}");
            JsonNode subscribed = ws.awaitReply("17");
            assertThat(subscribed.path("type").asText()).isEqualTo("ack");
            assertThat(subscribed.path("action").asText()).isEqualTo("subscribe");
            assertThat(subscribed.path("id").isInt()).as("a numeric id is echoed as a number").isTrue();
            assertThat(subscribed.path("id").asInt()).isEqualTo(17);
            assertThat(texts(subscribed.path("subscriptions"))).containsExactly("shape.*");

            ws.send("{\"action\":\"publish\",\"id\":\"p-1\",\"event_type\":\"shape.circle\",\"payload\":{\"r\":2},"
                    + "\"correlation_id\":\"c-9\",\"priority\":1}");
            JsonNode published = ws.awaitReply("p-1");
            assertThat(published.path("type").asText()).isEqualTo("ack");
            assertThat(published.path("action").asText()).isEqualTo("publish");
            assertThat(published.path("event_id").asText()).isNotBlank();
            assertThat(published.path("seq").asLong()).isPositive();
            assertThat(published.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

            JsonNode event = ws.awaitEvent("shape.circle");
            assertThat(event.has("type")).as("events carry no type").isFalse();
            assertThat(event.path("event_id").asText()).isEqualTo(published.path("event_id").asText());
            assertThat(event.path("seq").asLong()).isEqualTo(published.path("seq").asLong());
            assertThat(event.path("session_id").asText()).isEqualTo("shapes");
            assertThat(event.path("timestamp").asText()).isEqualTo(published.path("timestamp").asText());
            assertThat(event.path("payload").path("r").asInt()).isEqualTo(2);
            assertThat(event.path("correlation_id").asText()).isEqualTo("c-9");
            assertThat(event.path("priority").asInt()).isEqualTo(1);

            JsonNode pong = ws.ping("ping-1");
            assertThat(pong.path("type").asText()).isEqualTo("pong");
            assertThat(pong.path("id").asText()).isEqualTo("ping-1");
            assertThat(pong.path("timestamp").asText()).isNotBlank();
        }
    }

    @Test
    void everyMalformedFrameGetsItsErrorAndTheConnectionKeepsWorking() {
        try (WsClient ws = nexus.connect("fuzzed")) {
            ws.subscribe("ok.*");
            expectError(ws, "this is not json", "malformed_json");
            expectError(ws, "{\"action\":\"ping\"", "malformed_json");
            expectError(ws, "[{\"action\":\"ping\"}]", "invalid_frame");
            expectError(ws, "\"ping\"", "invalid_frame");
            expectError(ws, "{\"id\":\"m1\",\"topics\":[\"a\"]}", "invalid_frame");
            expectError(ws, "{\"action\":42}", "invalid_frame");
            expectError(ws, "{\"action\":\"dance\",\"id\":\"d1\"}", "unknown_action");
            expectError(ws, "{\"action\":\"subscribe\",\"id\":\"s1\",\"topics\":[\"a.>.b\"]}", "invalid_pattern");
            expectError(ws, "{\"action\":\"subscribe\",\"id\":\"s2\",\"topics\":[\"a..b\"]}", "invalid_pattern");
            expectError(ws, "{\"action\":\"subscribe\",\"id\":\"s3\"}", "missing_field");
            expectError(ws, "{\"action\":\"publish\",\"id\":\"t1\",\"event_type\":\"bad topic!\",\"payload\":{}}",
                    "invalid_topic");
            expectError(ws, "{\"action\":\"publish\",\"id\":\"t2\",\"event_type\":\"a.*\",\"payload\":{}}",
                    "invalid_topic");
            expectError(ws, "{\"action\":\"publish\",\"id\":\"t3\",\"payload\":{}}", "missing_field");
            expectError(ws, "{\"action\":\"publish\",\"id\":\"p1\",\"event_type\":\"ok.x\",\"payload\":[1,2]}",
                    "invalid_payload");
            expectError(ws, "{\"action\":\"publish\",\"id\":\"p2\",\"event_type\":\"ok.x\",\"payload\":\"text\"}",
                    "invalid_payload");

            ws.sendBinary(new byte[] {1, 2, 3});
            JsonNode binary = ws.await(m -> "error".equals(m.path("type").asText()));
            assertThat(binary.path("error").asText()).isEqualTo("invalid_frame");
            assertThat(ws.ping("after-binary").path("type").asText()).isEqualTo("pong");

            // and it still publishes and receives
            assertThat(ws.publish("ok.fine", "{}").path("type").asText()).isEqualTo("ack");
            assertThat(ws.awaitEvent("ok.fine").path("session_id").asText()).isEqualTo("fuzzed");
        }
    }

    @Test
    void errorsForFramesWithAnIdEchoTheId() {
        try (WsClient ws = nexus.connect("echoed")) {
            ws.send("{\"action\":\"dance\",\"id\":\"d-7\"}");
            JsonNode error = ws.awaitReply("d-7");
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("error").asText()).isEqualTo("unknown_action");
            assertThat(error.path("message").asText()).isNotBlank();
        }
    }

    @Test
    void aTextFrameLargerThanTheEventLimitIsRefusedAndTheConnectionStays() {
        try (TestServer small = TestServer.start(b -> b.maxEventBytes(4096).outboundQueueBytes(1 << 20));
                WsClient ws = small.connect("big-talker")) {
            ws.subscribe("size.*");
            String big = "x".repeat(10 * 1024);
            ws.send("{\"action\":\"publish\",\"id\":\"big\",\"event_type\":\"size.big\",\"payload\":{\"blob\":\""
                    + big + "\"}}");
            JsonNode error = ws.await(m -> "error".equals(m.path("type").asText()));
            assertThat(error.path("error").asText()).isEqualTo("too_large");
            assertThat(error.path("message").asText()).contains("4096");

            assertThat(ws.ping("after-big").path("type").asText()).isEqualTo("pong");
            String fits = "y".repeat(3 * 1024);
            assertThat(ws.publish("size.fits", "{\"blob\":\"" + fits + "\"}").path("type").asText()).isEqualTo("ack");
            assertThat(ws.awaitEvent("size.fits").path("payload").path("blob").asText()).hasSize(3 * 1024);
            // the refused event was never published
            assertThat(small.http.get("/events/history?event_type=size.big").json().path("count").asInt()).isZero();
        }
    }

    @Test
    void publishingAsAnotherSessionIsRefused() {
        try (WsClient ws = nexus.connect("honest")) {
            ws.send("{\"action\":\"publish\",\"id\":\"spoof\",\"event_type\":\"chat.hello\",\"session_id\":\"someone-else\","
                    + "\"payload\":{}}");
            JsonNode error = ws.awaitReply("spoof");
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("error").asText()).as("the same code as over HTTP").isEqualTo("forbidden");
            assertThat(error.path("field").asText()).isEqualTo("session_id");
            assertThat(error.path("session_id").asText()).isEqualTo("someone-else");

            ws.send("{\"action\":\"publish\",\"id\":\"self\",\"event_type\":\"chat.hello\",\"session_id\":\"honest\","
                    + "\"payload\":{}}");
            assertThat(ws.awaitReply("self").path("type").asText()).isEqualTo("ack");
        }
    }

    @Test
    void reservedTopicsArePublishedOnlyByTheServer() {
        try (WsClient ws = nexus.connect("pretender")) {
            for (String topic : List.of("work.claimed", "work.released", "work.completed", "session.connected",
                    "session.disconnected", "system.x", "system")) {
                JsonNode reply = ws.publish(topic, "{}");
                assertThat(reply.path("type").asText()).as(topic).isEqualTo("error");
                assertThat(reply.path("error").asText()).as(topic).isEqualTo("reserved_topic");
            }
            assertThat(ws.ping("still-here").path("type").asText()).isEqualTo("pong");
        }
        assertThat(nexus.http.get("/events/history?event_type=system.%3E").json().path("count").asInt()).isZero();
        assertThat(nexus.http.get("/work/claimed").json().path("count").asInt()).isZero();
    }

    @Test
    void anInvalidSessionIdInTheUrlIsRefusedAtTheUpgrade() {
        for (String path : List.of("/ws/session/..bad", "/ws/session/.hidden", "/ws/session/a%20b",
                "/ws/session/" + "s".repeat(129))) {
            RawHttp.Reply reply = RawHttp.upgrade(nexus.server.port(), path, null);
            assertThat(reply.status()).as(path).isEqualTo(422);
            assertThat(reply.json().path("error").asText()).as(path).isEqualTo("invalid_session_id");
            assertThat(reply.json().path("message").asText()).as(path).isNotBlank();
        }

        assertThatThrownBy(() -> WsClient.connect(nexus.server.webSocketUri().resolve("/ws/session/a%20b")))
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(422));
        assertThat(state().path("connected_sessions").asInt()).isZero();
    }

    @Test
    void aRequestWithoutOriginIsAllowed() {
        try (WsClient ws = WsClient.connect(nexus.server.webSocketUri().resolve("/ws/session/cli-tool"), null)) {
            assertThat(ws.ping("hello").path("type").asText()).isEqualTo("pong");
        }
        RawHttp.Reply reply = RawHttp.upgrade(nexus.server.port(), "/ws/session/cli-tool-2", null);
        assertThat(reply.status()).isEqualTo(101);
    }

    @Test
    void aForeignOriginIsRefusedWith403() {
        assertThatThrownBy(() -> WsClient.connect(nexus.server.webSocketUri().resolve("/ws/session/victim"),
                "http://evil.example"))
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(handshakeStatus(e)).isEqualTo(403));

        RawHttp.Reply reply = RawHttp.upgrade(nexus.server.port(), "/ws/session/victim", "http://evil.example");
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.headers().get("content-type")).startsWith("application/json");
        assertThat(reply.json().path("error").asText()).isEqualTo("origin_forbidden");
        assertThat(reply.json().path("message").asText()).contains("evil.example");

        // same host, other port: still another origin
        RawHttp.Reply otherPort = RawHttp.upgrade(nexus.server.port(), "/ws/session/victim",
                "http://127.0.0.1:" + (nexus.server.port() == 65535 ? 1 : nexus.server.port() + 1));
        assertThat(otherPort.status()).isEqualTo(403);

        assertThat(nexus.http.get("/sessions/victim").status()).as("the refused session never existed").isEqualTo(404);
    }

    @Test
    void theServersOwnOriginIsAllowed() {
        String self = "http://127.0.0.1:" + nexus.server.port();
        try (WsClient ws = WsClient.connect(nexus.server.webSocketUri().resolve("/ws/session/dashboard"), self)) {
            assertThat(ws.ping("same-origin").path("type").asText()).isEqualTo("pong");
        }
    }

    @Test
    void anOriginOnTheAllowListIsAllowed() {
        try (TestServer listed = TestServer.start(b -> b.allowedOrigins(List.of("https://app.example")));
                WsClient ws = WsClient.connect(listed.server.webSocketUri().resolve("/ws/session/web-app"),
                        "https://app.example")) {
            assertThat(ws.ping("listed").path("type").asText()).isEqualTo("pong");
            assertThat(RawHttp.upgrade(listed.server.port(), "/ws/session/other", "https://evil.example").status())
                    .isEqualTo(403);
        }
    }

    @Test
    void aSecondConnectionOfTheSameSessionReplacesTheFirstWhileTheSessionStaysOnline() throws Exception {
        try (WsClient watcher = nexus.connect("watcher")) {
            watcher.subscribe("session.*", "marker");
            WsClient first = nexus.connect("twin");
            first.subscribe("chat.*");
            watcher.awaitEvent("session.connected");

            try (WsClient second = nexus.connect("twin")) {
                JsonNode error = first.await(m -> "error".equals(m.path("type").asText()));
                assertThat(error.path("error").asText()).isEqualTo("session_replaced");
                assertThat(first.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(4001);

                JsonNode session = nexus.http.get("/sessions/twin").json();
                assertThat(session.path("online").asBoolean()).isTrue();
                assertThat(second.ping("new-one").path("type").asText()).isEqualTo("pong");
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> state().path("connected_sessions").asInt() == 2);

                // the replacement was seamless: no disconnect/connect churn for the session
                publishHttp("marker", "p");
                assertThat(eventTypes(watcher.takeUntilEvent("marker"))).containsExactly("marker");

                // the old connection's subscriptions went with it; the new one starts clean
                second.subscribe("chat.*");
                publishHttp("chat.hi", "p");
                assertThat(second.awaitEvent("chat.hi").path("session_id").asText()).isEqualTo("p");
            } finally {
                first.close();
            }
        }
    }

    @Test
    void tooManySubscriptionsIsRefusedAndTheExistingOnesStay() {
        try (TestServer limited = TestServer.start(b -> b.maxSubscriptions(2));
                WsClient ws = limited.connect("greedy")) {
            ws.subscribe("a.*", "b.*");
            ws.send("{\"action\":\"subscribe\",\"id\":\"third\",\"topics\":[\"c.*\"]}");
            JsonNode error = ws.awaitReply("third");
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("error").asText()).isEqualTo("too_many_subscriptions");

            // re-subscribing to a held pattern is not a new subscription
            assertThat(texts(ws.subscribe("a.*").path("subscriptions"))).containsExactly("a.*", "b.*");

            limited.http.post("/events", "{\"event_type\":\"c.x\",\"session_id\":\"p\",\"payload\":{}}");
            limited.http.post("/events", "{\"event_type\":\"b.x\",\"session_id\":\"p\",\"payload\":{}}");
            assertThat(eventTypes(ws.takeUntilEvent("b.x"))).containsExactly("b.x");
        }
    }

    @Test
    void connectionsPerAddressAreLimitedAndASlotIsFreedOnDisconnect() {
        try (TestServer limited = TestServer.start(b -> b.maxConnectionsPerIp(2));
                WsClient one = limited.connect("one")) {
            WsClient two = limited.connect("two");

            RawHttp.Reply refused = RawHttp.upgrade(limited.server.port(), "/ws/session/three", null);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().path("error").asText()).isEqualTo("too_many_connections");
            assertThatThrownBy(() -> limited.connect("three")).hasCauseInstanceOf(WebSocketHandshakeException.class);
            assertThat(limited.http.get("/sessions/three").status()).isEqualTo(404);

            two.close();
            java.util.concurrent.atomic.AtomicReference<WsClient> three = new java.util.concurrent.atomic.AtomicReference<>();
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
                three.set(limited.connect("three"));
                return true;
            });
            try (WsClient admitted = three.get()) {
                assertThat(admitted.ping("in").path("type").asText()).isEqualTo("pong");
            }
            assertThat(one.ping("still").path("type").asText()).isEqualTo("pong");
        }
    }

    @Test
    void aPlainGetOnTheWebSocketPathIsRefusedWithAnExplanation() {
        Http.Response reply = nexus.http.get("/ws/session/curious");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("message").asText()).contains("WebSocket");
    }

    private static void expectError(WsClient ws, String frame, String code) {
        ws.send(frame);
        JsonNode error = ws.await(m -> "error".equals(m.path("type").asText()));
        assertThat(error.path("error").asText()).as(frame).isEqualTo(code);
        assertThat(error.path("message").asText()).as(frame).isNotBlank();
        String ping = "after-" + code + "-" + System.nanoTime();
        assertThat(ws.ping(ping).path("type").asText()).as("connection alive after " + frame).isEqualTo("pong");
    }

    private static int handshakeStatus(Throwable e) {
        Throwable cause = e;
        while (!(cause instanceof WebSocketHandshakeException)) {
            cause = cause.getCause();
        }
        return ((WebSocketHandshakeException) cause).getResponse().statusCode();
    }

    private JsonNode state() {
        return nexus.http.get("/state").json();
    }

    private void publishHttp(String eventType, String sessionId) {
        Http.Response response = nexus.http.post("/events", "{\"event_type\":\"" + eventType + "\",\"session_id\":\""
                + sessionId + "\",\"payload\":{}}");
        assertThat(response.status()).as("publish " + eventType).isEqualTo(200);
    }

    static List<String> eventTypes(List<JsonNode> messages) {
        return messages.stream().filter(m -> !m.has("type")).map(m -> m.path("event_type").asText()).toList();
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new java.util.ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
