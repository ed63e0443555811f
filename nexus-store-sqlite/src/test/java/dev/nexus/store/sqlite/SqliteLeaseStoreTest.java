package dev.nexus.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.ContractClock;
import dev.nexus.core.spi.Durability;
import dev.nexus.protocol.WireJson;
import dev.nexus.protocol.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only a file-backed claim store promises: claims and fencing survive restarts, and it shares the file. */
class SqliteLeaseStoreTest {
    @TempDir
    Path dir;
    private final ContractClock clock = new ContractClock();

    @Test
    void claimsSurviveAReopenAndFencingContinuesUpward() {
        Path file = dir.resolve("nexus.db");
        Claim kept;
        Claim removed;
        Claim lasting;
        try (SqliteLeaseStore store = SqliteLeaseStore.open(file)) {
            kept = store.tryClaim(request("job-1", "alice")).claim();
            removed = store.tryClaim(request("job-2", "bob")).claim();
            lasting = store.tryClaim(new Claim("job-3", "alice", clock.instant(), "until noon", 0,
                    clock.instant().plus(Duration.ofMinutes(5)))).claim();
            assertThat(store.remove(removed)).isTrue();
        }

        try (SqliteLeaseStore store = SqliteLeaseStore.open(file)) {
            assertThat(store.list()).containsExactly(kept, lasting);
            assertThat(store.heldBy("alice")).containsExactly(kept, lasting);
            Claim next = store.tryClaim(request("job-2", "carol")).claim();
            assertThat(next.fencingToken()).isGreaterThan(lasting.fencingToken());
            assertThat(store.remove(kept)).isTrue();
        }
    }

    @Test
    void fencingTokensKeepIncreasingAfterEveryClaimIsGone() {
        Path file = dir.resolve("nexus.db");
        long last;
        try (SqliteLeaseStore store = SqliteLeaseStore.open(file)) {
            for (int i = 0; i < 5; i++) {
                store.remove(store.tryClaim(request("job-" + i, "alice")).claim());
            }
            last = store.tryClaim(request("job-last", "alice")).claim().fencingToken();
            store.remove(store.get("job-last").orElseThrow());
            assertThat(store.list()).isEmpty();
        }

        try (SqliteLeaseStore store = SqliteLeaseStore.open(file)) {
            assertThat(store.tryClaim(request("job-0", "bob")).claim().fencingToken()).isEqualTo(last + 1);
        }
    }

    @Test
    void claimsAndTheEventLogWriteTheSameFileConcurrently() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir, Durability.SYNC,
                LogRetention.of(1_000_000, Duration.ofHours(1)), clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                Future<List<CompletableFuture<Void>>> appends = pool.submit(() -> {
                    List<CompletableFuture<Void>> durable = new ArrayList<>();
                    for (int i = 0; i < 5_000; i++) {
                        durable.add(store.eventLog().append(event()).durable());
                    }
                    return durable;
                });
                List<Future<?>> claimers = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    String session = "session-" + t;
                    claimers.add(pool.submit(() -> {
                        for (int i = 0; i < 100; i++) {
                            Claim claim = store.leases().tryClaim(request(session + "-job-" + i, session)).claim();
                            if (i % 2 == 0) {
                                store.leases().remove(claim);
                            }
                        }
                    }));
                }
                for (Future<?> claimer : claimers) {
                    claimer.get(60, TimeUnit.SECONDS);
                }
                CompletableFuture.allOf(appends.get(60, TimeUnit.SECONDS).toArray(CompletableFuture[]::new))
                        .get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }

            assertThat(store.leases().list()).hasSize(150);
            assertThat(store.eventLog().size()).isEqualTo(5_000);
            assertThat(store.eventLog().failure()).isNull();
        }
    }

    private Claim request(String workId, String sessionId) {
        return new Claim(workId, sessionId, clock.instant(), null, 0, null);
    }

    private Event event() {
        return new Event(UUID.randomUUID().toString(), 0, "orders.created", "alice", clock.instant(),
                WireJson.mapper().createObjectNode(), null, null, null, null, null, null, null);
    }
}
