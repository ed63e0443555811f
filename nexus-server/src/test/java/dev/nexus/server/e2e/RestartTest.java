package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.server.NexusServer;
import dev.nexus.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What must outlive a graceful restart with the default SQLite store: history, seq, epoch, claims, dedup. */
class RestartTest {
    @TempDir
    Path dataDir;

    private NexusServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void historySeqEpochAndClaimsSurviveAGracefulRestart() {
        server = start(Duration.ofSeconds(30));
        Http http = new Http(server.httpUri());
        long lastSeq;
        String epoch;
        long token;
        try (WsClient worker = WsClient.connect(server.webSocketUri().resolve("/ws/session/worker"))) {
            for (int i = 0; i < 10; i++) {
                lastSeq = worker.publish("build.step", "{\"n\":" + i + "}").path("seq").asLong();
            }
            worker.send("{\"action\":\"claim\",\"id\":\"c\",\"work_id\":\"job-1\",\"work_description\":\"Build it\"}");
            token = worker.awaitReply("c").path("fencing_token").asLong();
        }
        Http beforeHttp = http;
        // the disconnect is announced once the server has seen the close; wait for it so history is settled
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> beforeHttp
                .get("/events/history?event_type=session.disconnected").json().path("count").asInt() == 1);
        JsonNode before = http.get("/events/history?since_seq=0&limit=1000").json();
        epoch = before.path("epoch").asText();
        lastSeq = before.path("last_seq").asLong();
        server.close();

        server = start(Duration.ofSeconds(30));
        http = new Http(server.httpUri());
        JsonNode after = http.get("/events/history?since_seq=0&limit=1000").json();
        assertThat(after.path("epoch").asText()).isEqualTo(epoch);
        assertThat(after.path("events")).isEqualTo(before.path("events"));
        assertThat(http.get("/state").json().path("epoch").asText()).isEqualTo(epoch);
        long next = http.post("/events", "{\"event_type\":\"build.step\",\"session_id\":\"worker\",\"payload\":{}}")
                .json().path("seq").asLong();
        assertThat(next).as("seq continues").isGreaterThan(lastSeq);

        JsonNode claims = http.get("/work/claimed").json();
        assertThat(claims.path("count").asInt()).isEqualTo(1);
        assertThat(claims.path("claims").get(0).path("claimed_by").asText()).isEqualTo("worker");
        assertThat(claims.path("claims").get(0).path("fencing_token").asLong()).isEqualTo(token);
        try (WsClient worker = WsClient.connect(server.webSocketUri().resolve("/ws/session/worker"))) {
            worker.send("{\"action\":\"complete\",\"id\":\"done\",\"work_id\":\"job-1\"}");
            assertThat(worker.awaitReply("done").path("type").asText()).as("the holder finds its claim").isEqualTo("ack");
        }
        long newToken = http.post("/work/claim", "{\"session_id\":\"other\",\"work_id\":\"job-2\"}").json()
                .path("fencing_token").asLong();
        assertThat(newToken).as("fencing tokens keep rising across restarts").isGreaterThan(token);
    }

    @Test
    void claimsOfHoldersThatDoNotComeBackAreReleasedAfterTheRestartGrace() {
        server = start(Duration.ofSeconds(30));
        new Http(server.httpUri()).post("/work/claim", "{\"session_id\":\"gone\",\"work_id\":\"orphan\"}");
        server.close();

        server = start(Duration.ofMillis(300));
        Http http = new Http(server.httpUri());
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(http.get("/work/claimed").json().path("count").asInt()).isZero());
        JsonNode released = http.get("/events/history?event_type=work.released").json().path("events").get(0);
        assertThat(released.path("payload").path("reason").asText()).isEqualTo("holder_disconnected");
    }

    @Test
    void aSubscriberResumesAcrossARestart() {
        server = start(Duration.ofSeconds(30));
        long seen;
        String epoch;
        try (WsClient reader = WsClient.connect(server.webSocketUri().resolve("/ws/session/reader"));
                WsClient writer = WsClient.connect(server.webSocketUri().resolve("/ws/session/writer"))) {
            epoch = reader.subscribe("feed.*").path("epoch").asText();
            writer.publish("feed.item", "{\"n\":1}");
            seen = reader.awaitEvent("feed.item").path("seq").asLong();
            writer.publish("feed.item", "{\"n\":2}");
        }
        server.close();

        server = start(Duration.ofSeconds(30));
        try (WsClient writer = WsClient.connect(server.webSocketUri().resolve("/ws/session/writer"))) {
            writer.publish("feed.item", "{\"n\":3}");
            try (WsClient reader = WsClient.connect(server.webSocketUri().resolve("/ws/session/reader"))) {
                reader.send("{\"action\":\"subscribe\",\"id\":\"r\",\"topics\":[\"feed.*\"],\"since_seq\":" + seen
                        + ",\"epoch\":\"" + epoch + "\"}");
                JsonNode ack = reader.awaitReply("r");
                assertThat(ack.path("recovered").asBoolean()).isTrue();
                assertThat(reader.next().path("payload").path("n").asInt()).isEqualTo(2);
                assertThat(reader.next().path("payload").path("n").asInt()).isEqualTo(3);
            }
        }
    }

    @Test
    void recreatingTheStoreChangesTheEpochAndResumeSaysSo() throws IOException {
        server = start(Duration.ofSeconds(30));
        Http http = new Http(server.httpUri());
        String epoch = http.post("/events", "{\"event_type\":\"a.b\",\"session_id\":\"s\",\"payload\":{}}").json()
                .path("epoch").asText();
        server.close();
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("nexus.db")).toList()) {
                Files.delete(file);
            }
        }

        server = start(Duration.ofSeconds(30));
        try (WsClient reader = WsClient.connect(server.webSocketUri().resolve("/ws/session/reader"))) {
            reader.send("{\"action\":\"subscribe\",\"id\":\"r\",\"topics\":[\"a.*\"],\"since_seq\":1,\"epoch\":\"" + epoch + "\"}");
            JsonNode ack = reader.awaitReply("r");
            assertThat(ack.path("recovered").asBoolean()).isFalse();
            assertThat(ack.path("reason").asText()).isEqualTo("epoch_changed");
            assertThat(ack.path("epoch").asText()).isNotEqualTo(epoch);
        }
    }

    @Test
    void aRetryAfterARestartIsStillADuplicate() {
        server = start(Duration.ofSeconds(30));
        String body = "{\"event_type\":\"pay.sent\",\"session_id\":\"s\",\"idempotency_key\":\"tx-9\",\"payload\":{}}";
        JsonNode first = new Http(server.httpUri()).post("/events", body).json();
        server.close();

        server = start(Duration.ofSeconds(30));
        JsonNode retry = new Http(server.httpUri()).post("/events", body).json();
        assertThat(retry.path("duplicate").asBoolean()).isTrue();
        assertThat(retry.path("seq").asLong()).isEqualTo(first.path("seq").asLong());
    }

    private NexusServer start(Duration claimRestartGrace) {
        return NexusServer.start(ServerConfig.builder()
                .port(0)
                .dataDir(dataDir)
                .rateLimitPerMinute(0)
                .historySize(100_000)
                .claimGrace(Duration.ofMillis(500))
                .claimRestartGrace(claimRestartGrace)
                .build());
    }
}
