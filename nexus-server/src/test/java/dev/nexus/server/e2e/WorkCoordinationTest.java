package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Work claims over HTTP and WebSocket: atomic claims, conflicts, release, completion and release on disconnect. */
class WorkCoordinationTest {
    @RegisterExtension
    final ServerPerTest nexus = new ServerPerTest();

    @Test
    void theQueueListPagesThroughEveryItemOnceInEnqueueOrderWithACursor() {
        List<String> enqueued = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String id = "page-item-" + i;
            enqueued.add(id);
            assertThat(nexus.http.post("/work", "{\"session_id\":\"planner\",\"work_id\":\"" + id + "\"}").status())
                    .isEqualTo(200);
        }
        // a status change between pages does not move an item or make the walk skip one
        assertThat(nexus.http.post("/work/next", "{\"session_id\":\"worker\"}").status()).isEqualTo(200);

        List<String> listed = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String query = "/work?limit=3";
        while (true) {
            JsonNode page = nexus.http.get(query).json();
            assertThat(page.path("count").asInt()).as("items of any status").isEqualTo(7);
            page.path("items").forEach(item -> listed.add(item.path("work_id").asText()));
            pageSizes.add(page.path("items").size());
            if (!page.path("has_more").asBoolean()) {
                assertThat(page.has("next_after")).isFalse();
                break;
            }
            query = "/work?limit=3&after=" + page.path("next_after").asLong();
        }

        assertThat(listed).isEqualTo(enqueued);
        assertThat(pageSizes).containsExactly(3, 3, 1);
        JsonNode pending = nexus.http.get("/work?status=pending&limit=5").json();
        assertThat(pending.path("count").asInt()).isEqualTo(6);
        JsonNode pendingRest = nexus.http.get("/work?status=pending&limit=5&after=" + pending.path("next_after").asLong()).json();
        assertThat(pendingRest.path("items")).extracting(item -> item.path("work_id").asText())
                .containsExactly("page-item-6");
        Http.Response bad = nexus.http.get("/work?after=-1");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").asText()).isEqualTo("invalid_parameter");
    }

    @Test
    void aClaimReturnsItsHolderTimeAndFencingToken() {
        Instant before = Instant.now().minusMillis(1);
        Http.Response reply = claim("session-5", "deploy-nexus", "Deploy NEXUS event bus");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.path("status").asText()).isEqualTo("claimed");
        assertThat(json.path("work_id").asText()).isEqualTo("deploy-nexus");
        assertThat(json.path("claimed_by").asText()).isEqualTo("session-5");
        assertThat(Instant.parse(json.path("claimed_at").asText())).isBetween(before, Instant.now());
        assertThat(json.path("fencing_token").asLong()).isPositive();
        assertThat(json.path("work_description").asText()).isEqualTo("Deploy NEXUS event bus");

        long second = claim("session-5", "another-item", null).json().path("fencing_token").asLong();
        assertThat(second).as("fencing tokens increase").isGreaterThan(json.path("fencing_token").asLong());
    }

    @Test
    void claimingWorkHeldByAnotherSessionIs409NamingTheHolder() {
        assertThat(claim("first", "contested", null).status()).isEqualTo(200);

        Http.Response conflict = claim("second", "contested", null);

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().path("error").asText()).isEqualTo("claim_conflict");
        assertThat(conflict.json().path("claimed_by").asText()).isEqualTo("first");
        assertThat(conflict.json().path("message").asText()).contains("first");

        // claiming again as the holder returns the same claim
        Http.Response again = claim("first", "contested", null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("claimed_by").asText()).isEqualTo("first");
    }

    @Test
    void twentyFiveConcurrentClaimsOfOneItemHaveExactlyOneWinner() throws Exception {
        int sessions = 25;
        try (WsClient observer = nexus.connect("observer")) {
            observer.subscribe("work.*", "marker");
            CountDownLatch ready = new CountDownLatch(sessions);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(sessions);
            List<Future<Http.Response>> replies = new ArrayList<>();
            try {
                for (int i = 0; i < sessions; i++) {
                    String session = "racer-" + i;
                    Http http = new Http(nexus.server.httpUri());
                    replies.add(pool.submit(() -> {
                        ready.countDown();
                        go.await();
                        return http.post("/work/claim", "{\"session_id\":\"" + session + "\",\"work_id\":\"the-prize\"}");
                    }));
                }
                ready.await();
                go.countDown();
                List<Http.Response> responses = new ArrayList<>();
                for (Future<Http.Response> reply : replies) {
                    responses.add(reply.get());
                }

                List<Http.Response> won = responses.stream().filter(r -> r.status() == 200).toList();
                List<Http.Response> lost = responses.stream().filter(r -> r.status() == 409).toList();
                assertThat(won).hasSize(1);
                assertThat(lost).hasSize(sessions - 1);
                String winner = won.get(0).json().path("claimed_by").asText();
                assertThat(lost).allSatisfy(r -> {
                    assertThat(r.json().path("error").asText()).isEqualTo("claim_conflict");
                    assertThat(r.json().path("claimed_by").asText()).isEqualTo(winner);
                });

                nexus.http.post("/events", "{\"event_type\":\"marker\",\"session_id\":\"m\",\"payload\":{}}");
                List<JsonNode> seen = observer.takeUntilEvent("marker");
                List<JsonNode> claimed = seen.stream().filter(m -> "work.claimed".equals(m.path("event_type").asText()))
                        .toList();
                assertThat(claimed).hasSize(1);
                assertThat(claimed.get(0).path("payload").path("claimed_by").asText()).isEqualTo(winner);

                JsonNode list = nexus.http.get("/work/claimed").json();
                assertThat(list.path("count").asInt()).isEqualTo(1);
                assertThat(list.path("claims").get(0).path("claimed_by").asText()).isEqualTo(winner);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void releaseByANonHolderIs403AndTheClaimStays() {
        claim("holder", "item", null);

        Http.Response reply = release("intruder", "item");

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().path("error").asText()).isEqualTo("not_claim_holder");
        assertThat(reply.json().path("claimed_by").asText()).isEqualTo("holder");
        assertThat(nexus.http.get("/work/claimed").json().path("count").asInt()).isEqualTo(1);
    }

    @Test
    void releaseOfUnclaimedWorkIs404() {
        Http.Response reply = release("anyone", "never-claimed");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("error").asText()).isEqualTo("claim_not_found");
        assertThat(reply.json().path("message").asText()).contains("never-claimed");
    }

    @Test
    void releaseByTheHolderFreesTheItemAndIsAnnounced() {
        try (WsClient observer = nexus.connect("observer")) {
            observer.subscribe("work.*");
            long token = claim("holder", "item", "do it").json().path("fencing_token").asLong();
            observer.awaitEvent("work.claimed");

            Http.Response reply = release("holder", "item");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().path("status").asText()).isEqualTo("released");
            JsonNode released = observer.awaitEvent("work.released");
            assertThat(released.path("session_id").asText()).isEqualTo("holder");
            assertThat(released.path("payload").path("work_id").asText()).isEqualTo("item");
            assertThat(released.path("payload").path("reason").asText()).isEqualTo("released");
            assertThat(released.path("payload").path("fencing_token").asLong()).isEqualTo(token);
            assertThat(nexus.http.get("/work/claimed").json().path("count").asInt()).isZero();

            // free for anyone now, with a newer fencing token
            Http.Response next = claim("newcomer", "item", null);
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.json().path("fencing_token").asLong()).isGreaterThan(token);
        }
    }

    @Test
    void completionIsAnnouncedWithTheResult() {
        try (WsClient observer = nexus.connect("observer")) {
            observer.subscribe("work.*");
            claim("builder", "build-42", "Build it");

            Http.Response reply = nexus.http.post("/work/complete",
                    "{\"session_id\":\"builder\",\"work_id\":\"build-42\",\"result\":{\"artifact\":\"nexus.jar\",\"ok\":true}}");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().path("status").asText()).isEqualTo("completed");
            JsonNode completed = observer.awaitEvent("work.completed");
            assertThat(completed.path("session_id").asText()).isEqualTo("builder");
            assertThat(completed.path("payload").path("work_id").asText()).isEqualTo("build-42");
            assertThat(completed.path("payload").path("result").path("artifact").asText()).isEqualTo("nexus.jar");
            assertThat(completed.path("payload").path("completed_at").asText()).isNotBlank();
            assertThat(nexus.http.get("/work/claimed").json().path("count").asInt()).isZero();

            Http.Response twice = nexus.http.post("/work/complete", "{\"session_id\":\"builder\",\"work_id\":\"build-42\"}");
            assertThat(twice.status()).isEqualTo(404);
            assertThat(twice.json().path("error").asText()).isEqualTo("claim_not_found");
        }
    }

    @Test
    void claimedListsEveryClaimWithACount() {
        claim("a", "one", "first item");
        claim("b", "two", null);
        claim("a", "three", null);

        JsonNode list = nexus.http.get("/work/claimed").json();

        assertThat(list.path("count").asInt()).isEqualTo(3);
        List<String> items = new ArrayList<>();
        for (JsonNode claim : list.path("claims")) {
            items.add(claim.path("work_id").asText() + "@" + claim.path("claimed_by").asText());
            assertThat(claim.path("claimed_at").asText()).isNotBlank();
            assertThat(claim.path("fencing_token").asLong()).isPositive();
        }
        assertThat(items).containsExactlyInAnyOrder("one@a", "two@b", "three@a");
    }

    @Test
    void webSocketClaimReleaseAndCompleteWorkTheSameAsHttp() {
        try (WsClient worker = nexus.connect("ws-worker"); WsClient rival = nexus.connect("ws-rival")) {
            worker.subscribe("work.*");

            worker.send("{\"action\":\"claim\",\"id\":\"c1\",\"work_id\":\"ws-item\",\"work_description\":\"over ws\"}");
            JsonNode claimed = worker.awaitReply("c1");
            assertThat(claimed.path("type").asText()).isEqualTo("ack");
            assertThat(claimed.path("action").asText()).isEqualTo("claim");
            assertThat(claimed.path("work_id").asText()).isEqualTo("ws-item");
            assertThat(claimed.path("claimed_by").asText()).isEqualTo("ws-worker");
            assertThat(claimed.path("fencing_token").asLong()).isPositive();
            assertThat(worker.awaitEvent("work.claimed").path("payload").path("work_id").asText()).isEqualTo("ws-item");

            rival.send("{\"action\":\"claim\",\"id\":\"c2\",\"work_id\":\"ws-item\"}");
            JsonNode conflict = rival.awaitReply("c2");
            assertThat(conflict.path("type").asText()).isEqualTo("error");
            assertThat(conflict.path("error").asText()).isEqualTo("claim_conflict");
            assertThat(conflict.path("claimed_by").asText()).isEqualTo("ws-worker");

            rival.send("{\"action\":\"release\",\"id\":\"r0\",\"work_id\":\"ws-item\"}");
            assertThat(rival.awaitReply("r0").path("error").asText()).isEqualTo("not_claim_holder");

            worker.send("{\"action\":\"release\",\"id\":\"r1\",\"work_id\":\"ws-item\"}");
            assertThat(worker.awaitReply("r1").path("type").asText()).isEqualTo("ack");
            assertThat(worker.awaitEvent("work.released").path("payload").path("reason").asText()).isEqualTo("released");

            worker.send("{\"action\":\"release\",\"id\":\"r2\",\"work_id\":\"ws-item\"}");
            assertThat(worker.awaitReply("r2").path("error").asText()).isEqualTo("claim_not_found");

            worker.send("{\"action\":\"claim\",\"id\":\"c3\",\"work_id\":\"ws-item-2\"}");
            assertThat(worker.awaitReply("c3").path("type").asText()).isEqualTo("ack");
            worker.send("{\"action\":\"complete\",\"id\":\"d1\",\"work_id\":\"ws-item-2\",\"result\":{\"lines\":12}}");
            JsonNode done = worker.awaitReply("d1");
            assertThat(done.path("type").asText()).isEqualTo("ack");
            assertThat(done.path("action").asText()).isEqualTo("complete");
            JsonNode completed = worker.awaitEvent("work.completed");
            assertThat(completed.path("payload").path("work_id").asText()).isEqualTo("ws-item-2");
            assertThat(completed.path("payload").path("result").path("lines").asInt()).isEqualTo(12);

            worker.send("{\"action\":\"claim\",\"id\":\"c4\"}");
            assertThat(worker.awaitReply("c4").path("error").asText()).isEqualTo("missing_field");
            assertThat(nexus.http.get("/work/claimed").json().path("count").asInt()).isZero();
        }
    }

    @Test
    void aCrashedHoldersClaimsAreReleasedAfterTheGrace() {
        try (WsClient observer = nexus.connect("observer")) {
            observer.subscribe("work.*");
            WsClient holder = nexus.connect("crasher");
            holder.send("{\"action\":\"claim\",\"id\":\"c\",\"work_id\":\"fragile\"}");
            assertThat(holder.awaitReply("c").path("type").asText()).isEqualTo("ack");
            observer.awaitEvent("work.claimed");

            holder.abort();

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> nexus.http.get("/work/claimed").json().path("count").asInt() == 0);
            JsonNode released = observer.awaitEvent("work.released");
            assertThat(released.path("payload").path("work_id").asText()).isEqualTo("fragile");
            assertThat(released.path("payload").path("reason").asText()).isEqualTo("holder_disconnected");
            assertThat(released.path("session_id").asText()).isEqualTo("crasher");
            assertThat(claim("rescuer", "fragile", null).status()).isEqualTo(200);
            holder.close();
        }
    }

    @Test
    void aHolderThatReconnectsWithinTheGraceKeepsItsClaims() {
        try (TestServer patient = TestServer.start(b -> b.claimGrace(Duration.ofSeconds(3)));
                WsClient observer = patient.connect("observer")) {
            observer.subscribe("work.*", "session.*", "marker");
            WsClient first = patient.connect("flaky");
            first.send("{\"action\":\"claim\",\"id\":\"c\",\"work_id\":\"long-job\"}");
            assertThat(first.awaitReply("c").path("type").asText()).isEqualTo("ack");

            first.abort();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !patient.http.get("/sessions/flaky").json().path("online").asBoolean());
            first.close();
            try (WsClient again = patient.connect("flaky")) {
                assertThat(again.ping("back").path("type").asText()).isEqualTo("pong");

                await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> {
                    JsonNode claims = patient.http.get("/work/claimed").json();
                    return claims.path("count").asInt() == 1
                            && claims.path("claims").get(0).path("claimed_by").asText().equals("flaky");
                });

                patient.http.post("/events", "{\"event_type\":\"marker\",\"session_id\":\"m\",\"payload\":{}}");
                List<JsonNode> seen = observer.takeUntilEvent("marker");
                assertThat(seen).noneMatch(m -> "work.released".equals(m.path("event_type").asText()));
                assertThat(patient.http.post("/work/claim", "{\"session_id\":\"thief\",\"work_id\":\"long-job\"}")
                        .status()).isEqualTo(409);
            }
        }
    }

    private Http.Response claim(String sessionId, String workId, String description) {
        String body = description == null
                ? "{\"session_id\":\"%s\",\"work_id\":\"%s\"}".formatted(sessionId, workId)
                : "{\"session_id\":\"%s\",\"work_id\":\"%s\",\"work_description\":\"%s\"}".formatted(sessionId, workId,
                        description);
        return nexus.http.post("/work/claim", body);
    }

    private Http.Response release(String sessionId, String workId) {
        return nexus.http.post("/work/release", "{\"session_id\":\"%s\",\"work_id\":\"%s\"}".formatted(sessionId, workId));
    }
}
