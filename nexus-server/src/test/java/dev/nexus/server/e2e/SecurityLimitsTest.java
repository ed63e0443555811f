package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.server.NexusServer;
import dev.nexus.server.ServerConfig;
import dev.nexus.server.auth.AuthSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Limits a hostile client meets, over real sockets; each refusal is clean and the server keeps serving. */
class SecurityLimitsTest {
    @RegisterExtension
    final ServerPerTest nexus = new ServerPerTest();

    @TempDir
    Path dir;

    @Test
    void aTwoMebibyteFrameIsClosedWith1009AndTheServerKeepsServing() throws IOException {
        try (WsClient bystander = nexus.connect("bystander");
                Socket socket = RawHttp.openWebSocket(nexus.server.port(), "/ws/session/big-framer")) {
            RawHttp.startLongText(socket, 2L * 1024 * 1024, 64 * 1024);
            assertThat(RawHttp.readUntilClose(socket).closeCode()).isEqualTo(1009);
            assertThat(bystander.ping("still-here").path("type").asText()).isEqualTo("pong");
            assertThat(nexus.http.get("/health").status()).isEqualTo(200);
        }
    }

    @Test
    void tenThousandDeepJsonIsRefusedCleanlyAndTheServerKeepsServing() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        String deepObject = "{\"event_type\":\"deep.json\",\"session_id\":\"s\",\"payload\":{\"a\":" + deep + "}}";
        Http.Response refused = nexus.http.post("/events", deepObject);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).isEqualTo("malformed_json");
        assertThat(refused.json().path("message").asText()).contains("64");

        try (WsClient ws = nexus.connect("deep-sender")) {
            ws.send("{\"action\":\"publish\",\"id\":\"d\",\"event_type\":\"deep.json\",\"payload\":" + deep + "}");
            JsonNode error = ws.await(m -> "error".equals(m.path("type").asText()));
            assertThat(error.path("error").asText()).isEqualTo("malformed_json");
            assertThat(ws.publish("deep.ok", "{\"nested\":{\"ok\":true}}").path("type").asText()).isEqualTo("ack");
        }
        assertThat(nexus.http.get("/events/history?event_type=deep.json").json().path("count").asInt()).isZero();
        assertThat(nexus.http.get("/health").status()).isEqualTo(200);
    }

    @Test
    void theJsonDepthLimitIsAnOption() {
        try (TestServer shallow = TestServer.start(b -> b.maxJsonDepth(4));
                WsClient ws = shallow.connect("shallow")) {
            // as a payload: the document's object, the payload and three more levels — five
            String tooDeep = "{\"a\":{\"b\":{\"c\":{\"d\":1}}}}";
            assertThat(shallow.http.post("/events", "{\"event_type\":\"d.ok\",\"session_id\":\"s\",\"payload\":"
                    + "{\"b\":{\"c\":1}}}").status()).isEqualTo(200);
            Http.Response refused = shallow.http.post("/events", "{\"event_type\":\"d.no\",\"session_id\":\"s\","
                    + "\"payload\":" + tooDeep + "}");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().path("error").asText()).isEqualTo("malformed_json");
            assertThat(ws.publish("d.ok", "{\"b\":{\"c\":1}}").path("type").asText()).isEqualTo("ack");
            ws.send("{\"action\":\"publish\",\"event_type\":\"d.no\",\"payload\":" + tooDeep + "}");
            assertThat(ws.await(m -> "error".equals(m.path("type").asText())).path("error").asText())
                    .isEqualTo("malformed_json");
            assertThat(shallow.http.get("/events/history?event_type=d.no").json().path("count").asInt()).isZero();
        }
    }

    @Test
    void connectionsInTotalAreCapped() {
        try (TestServer capped = TestServer.start(b -> b.maxConnections(2));
                WsClient one = capped.connect("one");
                WsClient two = capped.connect("two")) {
            Http.Response response = capped.http.send(java.net.http.HttpRequest.newBuilder(capped.server.httpUri()
                    .resolve("/health")).GET());
            assertThat(response.status()).as("plain HTTP is not a WebSocket connection").isEqualTo(200);
            RawHttp.Reply third = RawHttp.upgrade(capped.server.port(), "/ws/session/three", null);
            assertThat(third.status()).isEqualTo(503);
            assertThat(third.json().path("error").asText()).isEqualTo("too_many_connections");
            two.close();
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    RawHttp.upgrade(capped.server.port(), "/ws/session/three", null).status() == 101);
        }
    }

    @Test
    void aConnectionThatSaysNothingIsDroppedAfterTheIdleTimeout() throws IOException {
        try (TestServer guarded = TestServer.start(b -> b.pingInterval(Duration.ofMillis(100))
                .pingTimeout(Duration.ofMillis(500)));
                Socket silent = connect(guarded)) {
            assertThat(readsToEnd(silent)).isTrue();
            assertThat(guarded.http.get("/health").status()).isEqualTo(200);
        }
    }

    @Test
    void aWebSocketPeerThatFallsSilentIsClosedWithPingTimeoutAndThenDropped() throws IOException {
        try (TestServer guarded = TestServer.start(b -> b.pingInterval(Duration.ofMillis(100))
                .pingTimeout(Duration.ofMillis(500)));
                Socket silent = RawHttp.openWebSocket(guarded.server.port(), "/ws/session/silent")) {
            // never answers a ping: the protocol's own close comes first, before any TCP-level timeout
            assertThat(RawHttp.readUntilClose(silent).closeCode()).isEqualTo(4003);
            // nor the close: the server ends the connection itself, well before Vert.x's 10 s closing timeout
            silent.setSoTimeout(5_000);
            assertThat(readsToEnd(silent)).isTrue();
            assertThat(guarded.http.get("/health").status()).isEqualTo(200);
        }
    }

    @Test
    void noAuthOnANonLoopbackAddressIsRefusedAtStartButTokenAuthMayBind() throws IOException {
        ServerConfig.Builder open = ServerConfig.builder().host("0.0.0.0").port(0).dataDir(dir.resolve("a"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NexusServer.start(open.build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to bind 0.0.0.0 with --auth none")
                .hasMessageContaining("--insecure-no-auth");
        Path tokens = dir.resolve("tokens.json");
        Files.writeString(tokens, "{\"a\":\"a-token-of-sixteen-chars\"}");
        try (NexusServer withTokens = NexusServer.start(open.dataDir(dir.resolve("b"))
                .auth(AuthSettings.none().withTokens(tokens)).build())) {
            assertThat(withTokens.port()).isPositive();
        }
        try (NexusServer insecure = NexusServer.start(open.dataDir(dir.resolve("c")).auth(AuthSettings.none())
                .insecureNoAuth(true).build())) {
            assertThat(insecure.port()).isPositive();
        }
    }

    private static Socket connect(TestServer server) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.server.port()), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Whether the server ends the connection (end of stream or reset) before the read times out. */
    private static boolean readsToEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() != -1) {
                // discard whatever comes before the end
            }
            return true;
        } catch (java.net.SocketException reset) {
            return true;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        }
    }
}
