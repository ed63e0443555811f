package dev.nexus.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.protocol.ReservationMode;
import dev.nexus.protocol.ResourceGlob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link LeaseStore} contract, run against every implementation: subclass it and say how to open a new, empty
 * store. A store that is {@link AutoCloseable} is closed after each test.
 */
public abstract class LeaseStoreContractTest {
    protected final ContractClock clock = new ContractClock();
    protected LeaseStore store;

    /** A new, empty store of its own. */
    protected abstract LeaseStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    void aFreeItemIsGrantedWithATokenAndEveryFieldKept() {
        Claim wanted = request("job-1", "alice", "resize images");
        Claim lasting = new Claim("job-2", "alice", clock.instant(), null, 0, clock.instant().plusSeconds(30));

        LeaseStore.ClaimAttempt attempt = store.tryClaim(wanted);
        LeaseStore.ClaimAttempt second = store.tryClaim(lasting);

        assertThat(attempt.granted()).isTrue();
        assertThat(attempt.claim().fencingToken()).isPositive();
        assertThat(attempt.claim()).isEqualTo(new Claim("job-1", "alice", wanted.claimedAt(), "resize images",
                attempt.claim().fencingToken(), null));
        assertThat(store.get("job-1")).contains(attempt.claim());
        assertThat(second.claim().expiresAt()).isEqualTo(lasting.expiresAt());
        assertThat(second.claim().description()).isNull();
        assertThat(store.get("job-2")).contains(second.claim());
    }

    @Test
    void aHeldItemIsNotGrantedAgainAndTheHolderIsReturned() {
        Claim first = store.tryClaim(request("job-1", "alice", "first")).claim();

        LeaseStore.ClaimAttempt other = store.tryClaim(request("job-1", "bob", "second"));
        LeaseStore.ClaimAttempt same = store.tryClaim(request("job-1", "alice", "again"));

        assertThat(other.granted()).isFalse();
        assertThat(other.claim()).isEqualTo(first);
        assertThat(same.granted()).isFalse();
        assertThat(same.claim()).isEqualTo(first);
        assertThat(store.list()).containsExactly(first);
    }

    @Test
    void exactlyOneOfTwentyFiveConcurrentClaimersWins() throws Exception {
        int claimers = 25;
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        CountDownLatch ready = new CountDownLatch(claimers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<LeaseStore.ClaimAttempt>> attempts = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                String session = "session-" + i;
                attempts.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return store.tryClaim(request("contested", session, null));
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();

            List<LeaseStore.ClaimAttempt> results = new ArrayList<>();
            for (Future<LeaseStore.ClaimAttempt> attempt : attempts) {
                results.add(attempt.get(30, TimeUnit.SECONDS));
            }
            List<LeaseStore.ClaimAttempt> winners = results.stream().filter(LeaseStore.ClaimAttempt::granted).toList();
            assertThat(winners).hasSize(1);
            Claim winner = winners.getFirst().claim();
            assertThat(results).allSatisfy(attempt -> assertThat(attempt.claim()).isEqualTo(winner));
            assertThat(store.get("contested")).contains(winner);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fencingTokensIncreaseWithEveryGrantEvenOfTheSameItem() {
        Claim a = store.tryClaim(request("job-a", "alice", null)).claim();
        Claim b = store.tryClaim(request("job-b", "bob", null)).claim();
        assertThat(store.remove(a)).isTrue();
        Claim againA = store.tryClaim(request("job-a", "carol", null)).claim();

        assertThat(b.fencingToken()).isGreaterThan(a.fencingToken());
        assertThat(againA.fencingToken()).isGreaterThan(b.fencingToken());
    }

    @Test
    void removeDeletesOnlyTheExactClaim() {
        Claim held = store.tryClaim(request("job-1", "alice", "work")).claim();
        Claim otherToken = new Claim(held.workId(), held.claimedBy(), held.claimedAt(), held.description(),
                held.fencingToken() + 1, held.expiresAt());
        Claim otherHolder = new Claim(held.workId(), "mallory", held.claimedAt(), held.description(),
                held.fencingToken(), held.expiresAt());

        assertThat(store.remove(otherToken)).isFalse();
        assertThat(store.remove(otherHolder)).isFalse();
        assertThat(store.get("job-1")).contains(held);
        assertThat(store.remove(held)).isTrue();
        assertThat(store.get("job-1")).isEmpty();
        assertThat(store.remove(held)).isFalse();
    }

    @Test
    void aStaleHolderCannotRemoveItsSuccessorsClaim() {
        Claim stale = store.tryClaim(request("job-1", "alice", null)).claim();
        assertThat(store.remove(stale)).isTrue();
        Claim successor = store.tryClaim(request("job-1", "alice", null)).claim();

        assertThat(store.remove(stale)).isFalse();
        assertThat(store.get("job-1")).contains(successor);
    }

    @Test
    void listAndHeldByAreInClaimOrder() {
        Claim c = store.tryClaim(request("job-c", "alice", null)).claim();
        clock.advance(Duration.ofSeconds(1));
        Claim a = store.tryClaim(request("job-a", "bob", null)).claim();
        clock.advance(Duration.ofSeconds(1));
        Claim b = store.tryClaim(request("job-b", "alice", null)).claim();

        assertThat(store.list()).containsExactly(c, a, b);
        assertThat(store.heldBy("alice")).containsExactly(c, b);
        assertThat(store.heldBy("bob")).containsExactly(a);
        assertThat(store.heldBy("nobody")).isEmpty();
    }

    @Test
    void resourcesAndModeAreKeptWithTheClaimAndGoWithIt() {
        Claim wanted = new Claim("job-r", "alice", clock.instant(), null, 0, clock.instant().plusSeconds(60),
                List.of(ResourceGlob.parse("src/api/**"), ResourceGlob.parse("README.md")), ReservationMode.SHARED);

        Claim granted = store.tryClaim(wanted).claim();

        assertThat(granted.resources()).extracting(ResourceGlob::text).containsExactly("src/api/**", "README.md");
        assertThat(granted.mode()).isEqualTo(ReservationMode.SHARED);
        assertThat(store.get("job-r")).contains(granted);
        assertThat(store.list()).containsExactly(granted);
        assertThat(store.remove(granted)).isTrue();
        Claim next = store.tryClaim(request("job-r", "bob", null)).claim();
        assertThat(next.resources()).isEmpty();
        assertThat(next.mode()).isEqualTo(ReservationMode.EXCLUSIVE);
    }

    @Test
    void renewMovesTheLeaseOfTheCurrentGrantOnly() {
        Claim held = store.tryClaim(new Claim("job-1", "alice", clock.instant(), "w", 0, clock.instant().plusSeconds(30)))
                .claim();
        Instant later = clock.instant().plusSeconds(300);

        assertThat(store.renew(held, later)).contains(held.withExpiresAt(later));
        assertThat(store.get("job-1")).contains(held.withExpiresAt(later));
        assertThat(store.renew(held.withFencingToken(held.fencingToken() + 1), later.plusSeconds(1))).isEmpty();
        Claim otherHolder = new Claim("job-1", "mallory", held.claimedAt(), "w", held.fencingToken(), later);
        assertThat(store.renew(otherHolder, later.plusSeconds(1))).isEmpty();
        assertThat(store.remove(held.withExpiresAt(later))).isTrue();
        assertThat(store.renew(held, later)).isEmpty();
        assertThat(store.get("job-1")).isEmpty();
    }

    @Test
    void anUnknownItemHasNoClaim() {
        assertThat(store.get("nothing")).isEmpty();
        assertThat(store.list()).isEmpty();
    }

    protected final Claim request(String workId, String sessionId, String description) {
        return new Claim(workId, sessionId, clock.instant(), description, 0, null);
    }
}
