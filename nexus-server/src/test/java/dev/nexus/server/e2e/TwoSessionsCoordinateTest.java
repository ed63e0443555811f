package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The seed's first end-to-end story: two sessions connect, one asks for help, the other sees it and claims the work. */
class TwoSessionsCoordinateTest {
    @RegisterExtension
    final ServerPerTest nexus = new ServerPerTest();

    @Test
    void oneSessionAsksForHelpAnotherSeesItAndClaimsTheWork() {
        try (WsClient helper = nexus.connect("session-3"); WsClient asker = nexus.connect("session-5")) {
            helper.subscribe("help.*", "work.*");
            asker.subscribe("work.*");

            JsonNode ack = asker.publish("help.needed", "{\"task\":\"Debug WebSocket\",\"capabilities\":[\"python\"]}");
            assertThat(ack.path("type").asText()).isEqualTo("ack");
            assertThat(ack.path("seq").asLong()).isPositive();

            JsonNode help = helper.awaitEvent("help.needed");
            assertThat(help.path("session_id").asText()).isEqualTo("session-5");
            assertThat(help.path("payload").path("task").asText()).isEqualTo("Debug WebSocket");
            assertThat(help.path("event_id").asText()).isEqualTo(ack.path("event_id").asText());

            Http.Response claim = nexus.http.post("/work/claim",
                    "{\"session_id\":\"session-3\",\"work_id\":\"debug-ws\",\"work_description\":\"Debug WebSocket\"}");
            assertThat(claim.status()).isEqualTo(200);
            assertThat(claim.json().path("status").asText()).isEqualTo("claimed");
            assertThat(claim.json().path("claimed_by").asText()).isEqualTo("session-3");

            JsonNode claimed = asker.awaitEvent("work.claimed");
            assertThat(claimed.path("session_id").asText()).isEqualTo("session-3");
            assertThat(claimed.path("payload").path("work_id").asText()).isEqualTo("debug-ws");
            assertThat(claimed.path("seq").asLong()).isGreaterThan(help.path("seq").asLong());
        }
    }
}
