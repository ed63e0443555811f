package dev.nexus.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.LeaseStore.ClaimAttempt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryLeaseStoreTest {
    private static final Instant AT = Instant.parse("2025-11-17T07:00:00Z");
    private final MemoryLeaseStore store = new MemoryLeaseStore();

    @Test
    void grantsAFreeItemWithATokenAndKeepsIt() {
        ClaimAttempt attempt = store.tryClaim(wanted("w1", "s1"));

        assertThat(attempt.granted()).isTrue();
        assertThat(attempt.claim().claimedBy()).isEqualTo("s1");
        assertThat(attempt.claim().fencingToken()).isEqualTo(1);
        assertThat(store.get("w1")).contains(attempt.claim());
    }

    @Test
    void secondClaimantSeesTheHoldersClaim() {
        Claim first = store.tryClaim(wanted("w1", "s1")).claim();

        ClaimAttempt second = store.tryClaim(wanted("w1", "s2"));

        assertThat(second.granted()).isFalse();
        assertThat(second.claim()).isEqualTo(first);
    }

    @Test
    void tokensStrictlyIncreaseAcrossItemsAndRegrants() {
        long a = store.tryClaim(wanted("w1", "s1")).claim().fencingToken();
        long b = store.tryClaim(wanted("w2", "s1")).claim().fencingToken();
        Claim c = store.tryClaim(wanted("w3", "s2")).claim();
        store.remove(c);
        long d = store.tryClaim(wanted("w3", "s3")).claim().fencingToken();

        assertThat(List.of(a, b, c.fencingToken(), d)).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void removeDeletesOnlyTheExactClaim() {
        Claim old = store.tryClaim(wanted("w1", "s1")).claim();
        store.remove(old);
        Claim current = store.tryClaim(wanted("w1", "s2")).claim();

        assertThat(store.remove(old)).as("a stale claim cannot delete its successor").isFalse();
        assertThat(store.get("w1")).contains(current);
        assertThat(store.remove(current)).isTrue();
        assertThat(store.get("w1")).isEmpty();
    }

    @Test
    void listAndHeldByAreInClaimOrder() {
        store.tryClaim(wanted("z", "s1"));
        store.tryClaim(wanted("a", "s2"));
        store.tryClaim(wanted("m", "s1"));

        assertThat(store.list()).extracting(Claim::workId).containsExactly("z", "a", "m");
        assertThat(store.heldBy("s1")).extracting(Claim::workId).containsExactly("z", "m");
        assertThat(store.heldBy("nobody")).isEmpty();
    }

    @Test
    void concurrentClaimantsGetExactlyOneGrant() throws Exception {
        int threads = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            ConcurrentLinkedQueue<ClaimAttempt> attempts = new ConcurrentLinkedQueue<>();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String session = "s" + i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    attempts.add(store.tryClaim(wanted("hot", session)));
                    return null;
                }));
            }
            ready.await(10, TimeUnit.SECONDS);
            go.countDown();
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }

            assertThat(attempts).hasSize(threads);
            assertThat(attempts).filteredOn(ClaimAttempt::granted).hasSize(1);
            Claim winner = attempts.stream().filter(ClaimAttempt::granted).findFirst().orElseThrow().claim();
            assertThat(attempts).allSatisfy(a -> assertThat(a.claim()).isEqualTo(winner));
        } finally {
            pool.shutdownNow();
        }
    }

    private static Claim wanted(String workId, String session) {
        return new Claim(workId, session, AT, null, 0, null);
    }
}
