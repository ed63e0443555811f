package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.server.NexusServer;
import dev.nexus.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The work queue is in the SQLite store: items, their state and attempt history survive a restart. */
class WorkQueueRestartTest {
    @TempDir
    Path dataDir;

    @Test
    void queuedClaimedFailedAndCompletedItemsSurviveARestart() {
        long heldToken;
        try (NexusServer server = start()) {
            Http http = new Http(server.httpUri());
            for (String id : new String[] {"done", "held", "failed", "waiting"}) {
                assertThat(http.post("/work", "{\"session_id\":\"planner\",\"work_id\":\"" + id + "\"}").status())
                        .isEqualTo(200);
            }
            complete(http, next(http, "w1"));
            heldToken = next(http, "w1").path("fencing_token").asLong();
            JsonNode failing = next(http, "w1");
            http.post("/work/fail", "{\"session_id\":\"w1\",\"work_id\":\"failed\",\"fencing_token\":"
                    + failing.path("fencing_token").asLong() + ",\"reason\":\"boom\"}");
        }

        try (NexusServer server = start()) {
            Http http = new Http(server.httpUri());
            assertThat(ids(http, "completed")).isEqualTo("[\"done\"]");
            assertThat(ids(http, "claimed")).isEqualTo("[\"held\"]");
            assertThat(ids(http, "pending")).isEqualTo("[\"failed\",\"waiting\"]");
            JsonNode failed = http.get("/work?status=pending").json().path("items").get(0);
            assertThat(failed.path("history").get(0).path("reason").asText()).isEqualTo("boom");
            assertThat(failed.path("attempts").asInt()).isEqualTo(1);
            assertThat(http.post("/work/complete", "{\"session_id\":\"w1\",\"work_id\":\"held\",\"fencing_token\":"
                    + heldToken + "}").status()).isEqualTo(200);
            assertThat(next(http, "w2").path("work_id").asText()).isEqualTo("waiting");
        }
    }

    private NexusServer start() {
        return NexusServer.start(ServerConfig.builder().port(0).dataDir(dataDir).rateLimitPerMinute(0)
                .claimRestartGrace(Duration.ofMinutes(1)).retryBackoff(Duration.ofMinutes(1)).build());
    }

    private static JsonNode next(Http http, String session) {
        Http.Response reply = http.post("/work/next", "{\"session_id\":\"" + session + "\"}");
        assertThat(reply.status()).isEqualTo(200);
        return reply.json();
    }

    private static void complete(Http http, JsonNode handed) {
        assertThat(http.post("/work/complete", "{\"session_id\":\"" + handed.path("claimed_by").asText()
                + "\",\"work_id\":\"" + handed.path("work_id").asText() + "\",\"fencing_token\":"
                + handed.path("fencing_token").asLong() + "}").status()).isEqualTo(200);
    }

    private static String ids(Http http, String status) {
        StringBuilder ids = new StringBuilder("[");
        http.get("/work?status=" + status).json().path("items").forEach(item ->
                ids.append(ids.length() > 1 ? "," : "").append('"').append(item.path("work_id").asText()).append('"'));
        return ids.append(']').toString();
    }
}
