package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.server.StoreKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The work queue under contention, over real HTTP against a real server: 64 workers drain 10,000 items through
 * {@code POST /work/next} while some fail and are retried after a backoff, some die, and some holders vanish so
 * their leases expire. A checker then replays the recorded {@code work.*} history and finds no moment with two
 * live leases on one item, no item lost, and every item completed (exactly once) or dead.
 */
class WorkQueueRaceIT {
    private static final int ITEMS = 10_000;
    private static final int WORKERS = 64;
    private static final int MAX_ATTEMPTS = 3;

    @Test
    void sixtyFourWorkersDrainTenThousandItemsWithoutEverDoubleLeasing() throws Exception {
        try (TestServer nexus = TestServer.start(b -> b.store(StoreKind.MEMORY).historySize(200_000)
                .retryBackoff(Duration.ofMillis(1)))) {
            Http http = nexus.http;
            enqueueAll(http);

            AtomicInteger finished = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    int worker = w;
                    workers.add(pool.submit(() -> work(http, "worker-" + worker, new SplittableRandom(worker), finished)));
                }
                for (Future<?> worker : workers) {
                    worker.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            int completed = http.get("/work?status=completed&limit=1").json().path("count").asInt();
            int dead = http.get("/work?status=dead&limit=1").json().path("count").asInt();
            assertThat(completed + dead).isEqualTo(ITEMS);
            assertThat(dead).as("items failed on purpose die").isGreaterThanOrEqualTo(ITEMS / 500);
            assertThat(http.get("/work/claimed").json().path("count").asInt()).isZero();

            HistoryCheck check = HistoryCheck.of(readWorkHistory(http));
            assertThat(check.violations).isEmpty();
            assertThat(check.enqueued).isEqualTo(ITEMS);
            assertThat(check.completed + check.dead).isEqualTo(ITEMS);
            assertThat(check.completed).isEqualTo(completed);
            assertThat(check.expired).as("abandoned leases expired and were retried").isPositive();
            assertThat(check.failed).isPositive();
        }
    }

    private static void enqueueAll(Http http) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> replies = new ArrayList<>();
            for (int i = 0; i < ITEMS; i++) {
                String body = "{\"session_id\":\"planner\",\"work_id\":\"item-" + i + "\",\"priority\":" + (i % 5)
                        + ",\"max_attempts\":" + MAX_ATTEMPTS + "}";
                replies.add(pool.submit(() -> http.post("/work", body).status()));
            }
            for (Future<Integer> reply : replies) {
                assertThat(reply.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One worker: takes items until every item is finished. Items numbered 0 mod 500 always fail (they die);
     * others fail one time in ten; the first holder of an item numbered 7 mod 100 vanishes if it took a 1 s lease
     * (one claim in four does). With 100 such items, some lease is all but certain to be abandoned and to expire:
     * with 10 of them, one run in 18 had none and failed.
     */
    private static Void work(Http http, String session, SplittableRandom random, AtomicInteger finished) {
        while (finished.get() < ITEMS) {
            boolean abandon = random.nextInt(4) == 0;
            Http.Response next = http.post("/work/next", "{\"session_id\":\"" + session + "\",\"lease_ttl_s\":"
                    + (abandon ? 1 : 60) + "}");
            if (next.status() == 204) {
                continue; // items are backing off or held by others; ask again
            }
            assertThat(next.status()).as("next: %s", next.json()).isEqualTo(200);
            String workId = next.json().path("work_id").asText();
            long token = next.json().path("fencing_token").asLong();
            int number = Integer.parseInt(workId.substring("item-".length()));
            int attempt = next.json().path("item").path("attempts").asInt() + 1;
            if (number % 100 == 7 && attempt == 1 && abandon) {
                continue; // the holder vanishes; its lease runs out and the item comes back
            }
            boolean fail = number % 500 == 0 || random.nextInt(10) == 0;
            String body = "{\"session_id\":\"" + session + "\",\"work_id\":\"" + workId + "\",\"fencing_token\":" + token;
            if (fail) {
                Http.Response failed = http.post("/work/fail", body + ",\"reason\":\"simulated\"}");
                assertThat(failed.status()).as("fail: %s", failed.json()).isIn(200, 409);
                if (failed.status() == 200 && failed.json().path("item").path("status").asText().equals("dead")) {
                    finished.incrementAndGet();
                }
            } else {
                Http.Response done = http.post("/work/complete", body + "}");
                assertThat(done.status()).as("complete: %s", done.json()).isIn(200, 409);
                if (done.status() == 200) {
                    finished.incrementAndGet();
                }
            }
        }
        return null;
    }

    private static List<JsonNode> readWorkHistory(Http http) {
        List<JsonNode> events = new ArrayList<>();
        long since = 0;
        while (true) {
            JsonNode page = http.get("/events/history?event_type=work.*&limit=1000&since_seq=" + since).json();
            page.path("events").forEach(events::add);
            if (!page.path("has_more").asBoolean()) {
                return events;
            }
            since = page.path("next_since_seq").asLong();
        }
    }

    /** Replays {@code work.*} events in seq order and records every breach of the lease rules. */
    static final class HistoryCheck {
        final List<String> violations = new ArrayList<>();
        int enqueued;
        int completed;
        int dead;
        int failed;
        int expired;

        static HistoryCheck of(List<JsonNode> events) {
            HistoryCheck check = new HistoryCheck();
            Map<String, Long> live = new HashMap<>();
            Map<String, String> finalState = new HashMap<>();
            long lastToken = 0;
            long lastSeq = 0;
            for (JsonNode event : events) {
                long seq = event.path("seq").asLong();
                if (seq <= lastSeq) {
                    check.violations.add("seq out of order at " + seq);
                }
                lastSeq = seq;
                JsonNode payload = event.path("payload");
                String item = payload.path("work_id").asText();
                long token = payload.path("fencing_token").asLong();
                switch (event.path("event_type").asText()) {
                    case "work.enqueued" -> check.enqueued++;
                    case "work.claimed" -> {
                        if (live.containsKey(item)) {
                            check.violations.add("seq " + seq + ": " + item + " granted under token " + token
                                    + " while token " + live.get(item) + " was live");
                        }
                        if (finalState.containsKey(item)) {
                            check.violations.add("seq " + seq + ": " + item + " granted after it was " + finalState.get(item));
                        }
                        if (token <= lastToken) {
                            check.violations.add("seq " + seq + ": token " + token + " not above " + lastToken);
                        }
                        lastToken = token;
                        live.put(item, token);
                    }
                    case "work.completed", "work.failed", "work.released", "work.expired" -> {
                        Long held = live.remove(item);
                        if (held == null || held != token) {
                            check.violations.add("seq " + seq + ": " + event.path("event_type").asText() + " of " + item
                                    + " under token " + token + " but the live lease was " + held);
                        }
                        switch (event.path("event_type").asText()) {
                            case "work.completed" -> {
                                check.completed++;
                                if (finalState.put(item, "completed") != null) {
                                    check.violations.add(item + " finished twice");
                                }
                            }
                            case "work.failed" -> check.failed++;
                            case "work.expired" -> check.expired++;
                            default -> {
                            }
                        }
                    }
                    case "work.dead" -> {
                        check.dead++;
                        if (finalState.put(item, "dead") != null) {
                            check.violations.add(item + " finished twice");
                        }
                    }
                    default -> {
                    }
                }
            }
            live.forEach((item, token) -> check.violations.add(item + " still leased under " + token + " at the end"));
            return check;
        }
    }
}
