package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.nexus.protocol.WireJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSOT sync and registry registration as a user of the running server sees them. */
class SsotAndRegistryTest {
    @TempDir
    Path dir;

    private TestServer nexus;
    private HttpServer registry;

    @AfterEach
    void stop() {
        if (nexus != null) {
            nexus.close();
        }
        if (registry != null) {
            registry.stop(0);
        }
    }

    @Test
    void ssotFilesFollowSessionsStatusAndClaimsWithinOneSecond() throws Exception {
        Path ssot = dir.resolve("coordination");
        nexus = TestServer.start(b -> b.ssotDir(ssot));
        try (WsClient agent = nexus.connect("session-5")) {
            agent.publish("status.update", "{\"status\":\"working\",\"task\":\"Building NEXUS\"}");
            nexus.http.post("/work/claim", "{\"session_id\":\"session-5\",\"work_id\":\"deploy-nexus\"}");
            await().atMost(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
                JsonNode state = read(ssot.resolve("SSOT.json"));
                JsonNode session = state.path("sessions").path("session-5");
                assertThat(session.path("online").asBoolean()).isTrue();
                assertThat(session.path("status").asText()).isEqualTo("working");
                assertThat(session.path("current_work").asText()).isEqualTo("Building NEXUS");
                assertThat(state.path("claimed_work").path(0).path("work_id").asText()).isEqualTo("deploy-nexus");
                JsonNode heartbeat = read(ssot.resolve("heartbeats/session-5.json"));
                assertThat(heartbeat.path("status").asText()).isEqualTo("working");
            });
        }
        await().atMost(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> assertThat(
                read(ssot.resolve("claude_sessions.json")).path("sessions").path(0).path("online").asBoolean(true)).isFalse());

        JsonNode dependencies = nexus.http.get("/dependencies").json();
        assertThat(dependencies.path("required").findValuesAsText("name")).contains("ssot-filesystem");
        assertThat(dependencies.path("missing")).isEmpty();
    }

    @Test
    void atStartUpStaleHeartbeatsOfAnEarlierRunAreMarkedOfflineAndStoredClaimsAreListed() throws Exception {
        Path ssot = dir.resolve("coordination");
        Path data = dir.resolve("data");
        Files.createDirectories(ssot.resolve("heartbeats"));
        Files.writeString(ssot.resolve("heartbeats/crashed-agent.json"),
                "{\"session_id\":\"crashed-agent\",\"status\":\"working\",\"online\":true,\"availability\":\"busy\"}");
        Files.writeString(ssot.resolve("heartbeats/other-tool.json"), "{\"note\":\"not ours\"}");
        nexus = TestServer.start(b -> b.dataDir(data));
        nexus.http.post("/work/claim", "{\"session_id\":\"crashed-agent\",\"work_id\":\"kept-job\"}");
        nexus.close();

        nexus = TestServer.start(b -> b.dataDir(data).ssotDir(ssot));
        await().atMost(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
            JsonNode stale = read(ssot.resolve("heartbeats/crashed-agent.json"));
            assertThat(stale.path("online").asBoolean(true)).isFalse();
            assertThat(stale.path("availability").asText()).isEqualTo("offline");
            assertThat(stale.path("status").asText()).as("the rest is kept").isEqualTo("working");
            assertThat(read(ssot.resolve("SSOT.json")).path("claimed_work").path(0).path("work_id").asText())
                    .as("claims stored before the restart").isEqualTo("kept-job");
        });
        assertThat(Files.readString(ssot.resolve("heartbeats/other-tool.json"))).isEqualTo("{\"note\":\"not ours\"}");
    }

    @Test
    void unwritableSsotDirectoryMakesHealthDegradedAndDependencyMissing() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        nexus = TestServer.start(b -> b.ssotDir(notADirectory));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(nexus.http.get("/health").json().path("status").asText()).isEqualTo("degraded");
            assertThat(nexus.http.get("/dependencies").json().path("missing").path(0).asText()).isEqualTo("ssot-filesystem");
        });
        Http.Response publish = nexus.http.post("/events",
                "{\"event_type\":\"status.update\",\"session_id\":\"a\",\"payload\":{\"status\":\"idle\"}}");
        assertThat(publish.status()).as("the bus keeps working without its SSOT files").isEqualTo(200);
    }

    @Test
    void registersWithTheRegistryInTheBackgroundAndReportsIt() throws Exception {
        CopyOnWriteArrayList<JsonNode> registrations = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/register", exchange -> {
            int call = calls.incrementAndGet();
            registrations.add(WireJson.mapper().readTree(exchange.getRequestBody()));
            exchange.sendResponseHeaders(call == 1 ? 503 : 200, -1);
            exchange.close();
        });
        registry.start();
        URI url = URI.create("http://127.0.0.1:" + registry.getAddress().getPort());
        nexus = TestServer.start(b -> b.registryUrl(url));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode dependencies = nexus.http.get("/dependencies").json();
            JsonNode entry = dependencies.path("required").path(0);
            assertThat(entry.path("name").asText()).isEqualTo("registry");
            assertThat(entry.path("status").asText()).isEqualTo("available");
            assertThat(entry.path("url").asText()).isEqualTo(url.toString());
        });
        assertThat(calls.get()).as("retried after the 503").isEqualTo(2);
        JsonNode registration = registrations.get(1);
        assertThat(registration.path("name").asText()).isEqualTo("nexus-event-bus");
        assertThat(registration.path("url").asText()).isEqualTo(nexus.server.httpUri().toString());
        assertThat(registration.path("version").asText()).isEqualTo("1.0.0");
        assertThat(registration.path("id").asText()).isNotBlank();
        assertThat(registration.path("capabilities").isArray()).isTrue();
    }

    @Test
    void unreachableRegistryNeverDelaysStartAndIsReportedMissing() {
        long started = System.nanoTime();
        nexus = TestServer.start(b -> b.registryUrl(URI.create("http://127.0.0.1:1")));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(nexus.http.get("/health").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode dependencies = nexus.http.get("/dependencies").json();
            assertThat(dependencies.path("missing").path(0).asText()).isEqualTo("registry");
            assertThat(nexus.http.get("/health").json().path("status").asText()).isEqualTo("degraded");
        });
    }

    private static JsonNode read(Path file) throws IOException {
        return WireJson.mapper().readTree(file.toFile());
    }
}
