package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leases, fencing, reservations and the queue as a client sees them over HTTP and WebSocket. */
class LeasesOverTheWireTest {
    @RegisterExtension
    final ServerPerTest nexus = new ServerPerTest();

    @Test
    void aClaimHasALeaseThatRenewExtendsAndAStaleTokenIs409() {
        JsonNode claim = nexus.http.post("/work/claim",
                "{\"session_id\":\"a\",\"work_id\":\"deploy\",\"lease_ttl_s\":120}").json();
        Instant expires = Instant.parse(claim.path("lease_expires_at").asText());
        assertThat(claim.path("expires_at").asText()).isEqualTo(claim.path("lease_expires_at").asText());
        assertThat(Duration.between(Instant.parse(claim.path("claimed_at").asText()), expires))
                .isBetween(Duration.ofSeconds(119), Duration.ofSeconds(121));
        long token = claim.path("fencing_token").asLong();

        Http.Response renewed = nexus.http.post("/work/renew",
                "{\"session_id\":\"a\",\"work_id\":\"deploy\",\"fencing_token\":" + token + ",\"lease_ttl_s\":600}");
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.json().path("status").asText()).isEqualTo("renewed");
        assertThat(Instant.parse(renewed.json().path("lease_expires_at").asText())).isAfter(expires);

        Http.Response stale = nexus.http.post("/work/complete",
                "{\"session_id\":\"a\",\"work_id\":\"deploy\",\"fencing_token\":" + (token + 100) + "}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().path("error").asText()).isEqualTo("stale_token");
        assertThat(stale.json().path("current_fencing_token").asLong()).isEqualTo(token);

        Http.Response tooLong = nexus.http.post("/work/claim",
                "{\"session_id\":\"a\",\"work_id\":\"other\",\"ttl_seconds\":9999999}");
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.json().path("field").asText()).isEqualTo("lease_ttl_s");
    }

    @Test
    void anExpiredLeaseFreesTheItemForTheNextClaimantWithALargerToken() {
        try (WsClient observer = nexus.connect("observer")) {
            observer.subscribe("work.*");
            long first = nexus.http.post("/work/claim", "{\"session_id\":\"a\",\"work_id\":\"job\",\"ttl_seconds\":1}")
                    .json().path("fencing_token").asLong();

            JsonNode expired = observer.awaitEvent("work.expired");
            assertThat(expired.path("payload").path("fencing_token").asLong()).isEqualTo(first);

            JsonNode second = nexus.http.post("/work/claim", "{\"session_id\":\"b\",\"work_id\":\"job\"}").json();
            assertThat(second.path("fencing_token").asLong()).isGreaterThan(first);
            Http.Response late = nexus.http.post("/work/complete",
                    "{\"session_id\":\"a\",\"work_id\":\"job\",\"fencing_token\":" + first + "}");
            assertThat(late.status()).isEqualTo(409);
            assertThat(late.json().path("error").asText()).isEqualTo("stale_token");
        }
    }

    @Test
    void overlappingReservationsConflictNamingHolderAndResource() {
        assertThat(nexus.http.post("/work/claim", "{\"session_id\":\"a\",\"work_id\":\"api\","
                + "\"resources\":[\"src/api/**\",\"README.md\"],\"mode\":\"exclusive\"}").status()).isEqualTo(200);

        Http.Response conflict = nexus.http.post("/work/claim", "{\"session_id\":\"b\",\"work_id\":\"docs\","
                + "\"resources\":[\"*.md\"],\"mode\":\"shared\"}");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().path("error").asText()).isEqualTo("reservation_conflict");
        assertThat(conflict.json().path("claimed_by").asText()).isEqualTo("a");
        assertThat(conflict.json().path("resource").asText()).isEqualTo("README.md");
        assertThat(conflict.json().path("requested_resource").asText()).isEqualTo("*.md");

        JsonNode who = nexus.http.get("/work/reservations?path=src/api/users.py").json();
        assertThat(who.path("count").asInt()).isEqualTo(1);
        assertThat(who.path("reservations").get(0).path("claimed_by").asText()).isEqualTo("a");
        assertThat(who.path("reservations").get(0).path("resource").asText()).isEqualTo("src/api/**");
        assertThat(nexus.http.get("/work/reservations?path=src/web/app.js").json().path("count").asInt()).isZero();
        assertThat(nexus.http.get("/work/reservations?path=/etc").status()).isEqualTo(400);
    }

    @Test
    void theQueueOverWebSocketFramesBehavesAsOverHttp() {
        try (WsClient worker = nexus.connect("worker")) {
            worker.send("{\"action\":\"publish\",\"id\":\"cap\",\"event_type\":\"capability.broadcast\","
                    + "\"payload\":{\"capabilities\":[\"python\"]}}");
            worker.awaitReply("cap");
            worker.send("{\"action\":\"enqueue\",\"id\":1,\"work_id\":\"py-job\",\"capabilities_needed\":[\"python\"],"
                    + "\"max_attempts\":2}");
            assertThat(worker.awaitReply("1").path("status").asText()).isEqualTo("pending");
            assertThat(nexus.http.post("/work/next", "{\"session_id\":\"no-skills\"}").status()).isEqualTo(204);

            worker.send("{\"action\":\"next\",\"id\":2,\"lease_ttl_s\":60}");
            JsonNode handed = worker.awaitReply("2");
            assertThat(handed.path("type").asText()).isEqualTo("ack");
            assertThat(handed.path("work_id").asText()).isEqualTo("py-job");
            long token = handed.path("fencing_token").asLong();

            worker.send("{\"action\":\"renew\",\"id\":3,\"work_id\":\"py-job\",\"fencing_token\":" + token + "}");
            assertThat(worker.awaitReply("3").path("status").asText()).isEqualTo("renewed");
            worker.send("{\"action\":\"complete\",\"id\":4,\"work_id\":\"py-job\",\"fencing_token\":" + (token + 1) + "}");
            JsonNode stale = worker.awaitReply("4");
            assertThat(stale.path("type").asText()).isEqualTo("error");
            assertThat(stale.path("error").asText()).isEqualTo("stale_token");

            worker.send("{\"action\":\"fail\",\"id\":5,\"work_id\":\"py-job\",\"fencing_token\":" + token
                    + ",\"reason\":\"flaky\"}");
            JsonNode failed = worker.awaitReply("5");
            assertThat(failed.path("item").path("status").asText()).isEqualTo("pending");
            assertThat(failed.path("item").path("attempts").asInt()).isEqualTo(1);

            worker.send("{\"action\":\"next\",\"id\":6}");
            JsonNode nothingYet = worker.awaitReply("6");
            assertThat(nothingYet.path("status").asText()).as("backing off for 1 s").isEqualTo("empty");
            assertThat(nexus.http.get("/work?status=pending").json().path("items").get(0).path("ready_at").isTextual())
                    .isTrue();
        }
    }

    @Test
    void aSessionThatStopsAnsweringPingsLosesItsLeasesWithReasonPingTimeout() throws Exception {
        try (TestServer server = TestServer.start(b -> b.pingInterval(Duration.ofMillis(100))
                .pingTimeout(Duration.ofMillis(400)).claimGrace(Duration.ofMillis(100)));
                WsClient observer = server.connect("observer")) {
            observer.subscribe("work.*");
            try (Socket silent = RawHttp.openWebSocket(server.server.port(), "/ws/session/sleeper")) {
                RawHttp.sendText(silent, "{\"action\":\"claim\",\"work_id\":\"nap\"}");
                observer.awaitEvent("work.claimed");

                JsonNode released = observer.awaitEvent("work.released");

                assertThat(released.path("payload").path("work_id").asText()).isEqualTo("nap");
                assertThat(released.path("payload").path("reason").asText()).isEqualTo("ping_timeout");
                assertThat(server.http.get("/work/claimed").json().path("count").asInt()).isZero();
            }
        }
    }
}
