package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.server.Secret;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

class AdminWorkTest {
    private static final String TOKEN = "operator-token-0123456789";

    @Test
    void withoutAConfiguredTokenAdminEndpointsAreDisabled() {
        try (TestServer nexus = TestServer.start()) {
            Http.Response refused = admin(nexus, "GET", "/admin/work/stale", null, TOKEN);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().path("error").asText()).isEqualTo("admin_disabled");
        }
    }

    @Test
    void aMissingOrWrongTokenIs401AndNeverEchoed() {
        try (TestServer nexus = TestServer.start(b -> b.adminToken(Secret.of(TOKEN, "--admin-token")))) {
            Http.Response none = nexus.http.get("/admin/work/stale");
            Http.Response wrong = admin(nexus, "GET", "/admin/work/stale", null, TOKEN + "x");
            assertThat(none.status()).isEqualTo(401);
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(none.json().path("error").asText()).isEqualTo("auth_required");
            assertThat(wrong.json().path("error").asText()).isEqualTo("invalid_token");
            assertThat(wrong.raw().body()).doesNotContain(TOKEN);
            assertThat(nexus.server.config().toString()).doesNotContain(TOKEN);
        }
    }

    @Test
    void operatorsForceReleaseReassignAndListStaleAndExpiredWorkWithAnAuditTrail() {
        try (TestServer nexus = TestServer.start(b -> b.adminToken(Secret.of(TOKEN, "--admin-token")))) {
            long first = nexus.http.post("/work/claim", "{\"session_id\":\"stuck\",\"work_id\":\"job\"}").json()
                    .path("fencing_token").asLong();
            JsonNode stale = admin(nexus, "GET", "/admin/work/stale", null, TOKEN).json();
            assertThat(stale.path("count").asInt()).isEqualTo(1);
            assertThat(stale.path("stale").get(0).path("claimed_by").asText()).isEqualTo("stuck");

            JsonNode reassigned = admin(nexus, "POST", "/admin/work/reassign",
                    "{\"work_id\":\"job\",\"session_id\":\"helper\",\"note\":\"stuck for an hour\"}", TOKEN).json();
            assertThat(reassigned.path("claimed_by").asText()).isEqualTo("helper");
            assertThat(reassigned.path("fencing_token").asLong()).isGreaterThan(first);
            assertThat(nexus.http.post("/work/complete", "{\"session_id\":\"stuck\",\"work_id\":\"job\","
                    + "\"fencing_token\":" + first + "}").json().path("error").asText()).isEqualTo("stale_token");

            Http.Response forced = admin(nexus, "POST", "/admin/work/force-release", "{\"work_id\":\"job\"}", TOKEN);
            assertThat(forced.json().path("released_from").asText()).isEqualTo("helper");
            assertThat(admin(nexus, "POST", "/admin/work/force-release", "{\"work_id\":\"job\"}", TOKEN).status())
                    .isEqualTo(404);
            assertThat(admin(nexus, "GET", "/admin/work/expired", null, TOKEN).json().path("count").asInt()).isZero();

            JsonNode trail = nexus.http.get("/events/history?event_type=work.*").json().path("events");
            assertThat(trail).extracting(e -> e.path("event_type").asText() + ":" + e.path("payload").path("reason").asText(""))
                    .containsExactly("work.claimed:", "work.released:reassigned", "work.claimed:", "work.released:forced");
        }
    }

    private static Http.Response admin(TestServer nexus, String method, String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(nexus.server.httpUri() + path))
                .header("authorization", "Bearer " + token)
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return nexus.http.send(request);
    }
}
