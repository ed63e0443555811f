package dev.nexus.core.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.MutableClock;
import dev.nexus.core.memory.MemoryLeaseStore;
import dev.nexus.core.memory.MemoryWorkQueueStore;
import dev.nexus.core.spi.Claim;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.WireJson;
import dev.nexus.protocol.WireTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkCoordinatorTest {
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock();
    private final List<PublishRequest> announced = new CopyOnWriteArrayList<>();
    private final MemoryLeaseStore store = new MemoryLeaseStore();
    private final WorkCoordinator work = coordinator(GRACE);

    private WorkCoordinator coordinator(Duration grace) {
        return new WorkCoordinator(store, new MemoryWorkQueueStore(), clock, grace, WorkOptions.defaults(),
                session -> java.util.Optional.empty(), announced::add);
    }

    @Test
    void claimGrantsAndAnnouncesWorkClaimed() {
        Claim claim = work.claim("s1", "w1", "fix the build", null);

        assertThat(claim.claimedBy()).isEqualTo("s1");
        assertThat(claim.claimedAt()).isEqualTo(clock.instant());
        assertThat(claim.expiresAt()).isEqualTo(clock.instant().plus(LeasePolicy.DEFAULT_TTL));
        assertThat(work.claimed()).containsExactly(claim);
        assertThat(announced).singleElement().satisfies(event -> {
            assertThat(event.eventType()).isEqualTo("work.claimed");
            assertThat(event.sessionId()).isEqualTo("s1");
            assertThat(event.payload().get("work_id").asText()).isEqualTo("w1");
            assertThat(event.payload().get("work_description").asText()).isEqualTo("fix the build");
            assertThat(event.payload().get("claimed_by").asText()).isEqualTo("s1");
            assertThat(event.payload().get("claimed_at").asText()).isEqualTo(WireTime.format(clock.instant()));
            assertThat(event.payload().get("fencing_token").asLong()).isEqualTo(claim.fencingToken());
        });
    }

    @Test
    void claimWithoutDescriptionOmitsIt() {
        work.claim("s1", "w1", null, null);

        assertThat(announced.get(0).payload().has("work_description")).isFalse();
    }

    @Test
    void secondSessionGetsAConflictNamingTheHolder() {
        Claim held = work.claim("s1", "w1", null, null);

        NexusException e = catchThrowableOfType(NexusException.class, () -> work.claim("s2", "w1", null, null));

        assertThat(e.code()).isEqualTo(ErrorCode.CLAIM_CONFLICT);
        assertThat(e.details()).containsEntry("claimed_by", "s1").containsEntry("work_id", "w1")
                .containsEntry("claimed_at", WireTime.format(held.claimedAt()));
        assertThat(e.getMessage()).contains("s1");
        assertThat(announced).hasSize(1);
        assertThat(work.claimed()).containsExactly(held);
    }

    @Test
    void sameSessionClaimingAgainGetsItsClaimWithoutASecondAnnouncement() {
        Claim first = work.claim("s1", "w1", "one", null);
        clock.advance(Duration.ofSeconds(3));

        Claim again = work.claim("s1", "w1", "two", null);

        assertThat(again).isEqualTo(first);
        assertThat(announced).hasSize(1);
    }

    @Test
    void racingClaimantsProduceExactlyOneWinnerAndOneAnnouncement() throws Exception {
        int threads = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            ConcurrentLinkedQueue<Claim> winners = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<NexusException> losers = new ConcurrentLinkedQueue<>();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String session = "s" + i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        winners.add(work.claim(session, "hot-item", null, null));
                    } catch (NexusException e) {
                        losers.add(e);
                    }
                    return null;
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }

            assertThat(winners).hasSize(1);
            String winner = winners.peek().claimedBy();
            assertThat(losers).hasSize(threads - 1).allSatisfy(e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.CLAIM_CONFLICT);
                assertThat(e.details()).containsEntry("claimed_by", winner);
            });
            assertThat(announced).singleElement().satisfies(event -> {
                assertThat(event.eventType()).isEqualTo("work.claimed");
                assertThat(event.sessionId()).isEqualTo(winner);
            });
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void releaseByHolderAnnouncesWorkReleased() {
        Claim claim = work.claim("s1", "w1", null, null);

        Claim released = work.release("s1", "w1", null);

        assertThat(released).isEqualTo(claim);
        assertThat(work.claimed()).isEmpty();
        assertThat(announced).extracting(PublishRequest::eventType).containsExactly("work.claimed", "work.released");
        assertThat(announced.get(1).payload().get("reason").asText()).isEqualTo("released");
        assertThat(announced.get(1).payload().get("work_id").asText()).isEqualTo("w1");
        // the item is free again
        assertThat(work.claim("s2", "w1", null, null).claimedBy()).isEqualTo("s2");
    }

    @Test
    void releaseByNonHolderIsRefused() {
        work.claim("s1", "w1", null, null);

        NexusException e = catchThrowableOfType(NexusException.class, () -> work.release("s2", "w1", null));

        assertThat(e.code()).isEqualTo(ErrorCode.NOT_CLAIM_HOLDER);
        assertThat(e.details()).containsEntry("claimed_by", "s1");
        assertThat(work.claimed()).hasSize(1);
        assertThat(announced).hasSize(1);
    }

    @Test
    void releaseOfAnUnclaimedItem() {
        NexusException e = catchThrowableOfType(NexusException.class, () -> work.release("s1", "nothing", null));

        assertThat(e.code()).isEqualTo(ErrorCode.CLAIM_NOT_FOUND);
        assertThat(e.details()).containsEntry("work_id", "nothing");
        assertThat(announced).isEmpty();
    }

    @Test
    void staleFencingTokenIsRefused() {
        Claim old = work.claim("s1", "w1", null, null);
        work.release("s1", "w1", old.fencingToken());
        Claim current = work.claim("s1", "w1", null, null);

        NexusException e = catchThrowableOfType(NexusException.class, () -> work.complete("s1", "w1", old.fencingToken(), null));

        assertThat(e.code()).isEqualTo(ErrorCode.STALE_TOKEN);
        assertThat(e.code().httpStatus()).isEqualTo(409);
        assertThat(e.details()).containsEntry("fencing_token", old.fencingToken())
                .containsEntry("current_fencing_token", current.fencingToken());
        assertThat(work.claimed()).containsExactly(current);
        assertThatThrownBy(() -> work.release("s1", "w1", old.fencingToken()))
                .isInstanceOfSatisfying(NexusException.class, x -> assertThat(x.code()).isEqualTo(ErrorCode.STALE_TOKEN));
        assertThatThrownBy(() -> work.renew("s1", "w1", old.fencingToken(), null))
                .isInstanceOfSatisfying(NexusException.class, x -> assertThat(x.code()).isEqualTo(ErrorCode.STALE_TOKEN));
        assertThat(work.release("s1", "w1", current.fencingToken())).isEqualTo(current);
    }

    @Test
    void completeAnnouncesWorkCompletedWithTheResult() throws Exception {
        Claim claim = work.claim("s1", "w1", "task", null);
        clock.advance(Duration.ofMinutes(2));
        ObjectNode result = (ObjectNode) WireJson.mapper().readTree("{\"tests\":42,\"ok\":true}");

        work.complete("s1", "w1", claim.fencingToken(), result);

        assertThat(work.claimed()).isEmpty();
        PublishRequest completed = announced.get(1);
        assertThat(completed.eventType()).isEqualTo("work.completed");
        assertThat(completed.sessionId()).isEqualTo("s1");
        assertThat(completed.payload().get("result")).isEqualTo(result);
        assertThat(completed.payload().get("completed_at").asText()).isEqualTo(WireTime.format(clock.instant()));
        assertThat(completed.payload().get("fencing_token").asLong()).isEqualTo(claim.fencingToken());
    }

    @Test
    void completeWithoutResultOmitsIt() {
        work.claim("s1", "w1", null, null);

        work.complete("s1", "w1", null, null);

        assertThat(announced.get(1).payload().has("result")).isFalse();
    }

    @Test
    void completeByNonHolderOrOfUnclaimedItemIsRefused() {
        work.claim("s1", "w1", null, null);

        assertThat(catchThrowableOfType(NexusException.class, () -> work.complete("s2", "w1", null, null)).code())
                .isEqualTo(ErrorCode.NOT_CLAIM_HOLDER);
        assertThat(catchThrowableOfType(NexusException.class, () -> work.complete("s1", "w2", null, null)).code())
                .isEqualTo(ErrorCode.CLAIM_NOT_FOUND);
    }

    @Test
    void disconnectedHolderKeepsClaimsDuringGrace() {
        work.claim("s1", "w1", null, null);
        work.claim("s1", "w2", null, null);
        work.sessionDetached("s1");

        clock.advance(GRACE.minusMillis(1));
        work.sweep();

        assertThat(work.heldBy("s1")).hasSize(2);
        assertThat(announced).extracting(PublishRequest::eventType).containsOnly("work.claimed");
    }

    @Test
    void disconnectedHolderLosesClaimsAfterGrace() {
        work.claim("s1", "w1", null, null);
        work.claim("s1", "w2", null, null);
        Claim other = work.claim("s2", "w3", null, null);
        work.sessionDetached("s1");

        clock.advance(GRACE);
        work.sweep();

        assertThat(work.heldBy("s1")).isEmpty();
        assertThat(work.claimed()).containsExactly(other);
        List<PublishRequest> released = announced.stream().filter(e -> e.eventType().equals("work.released")).toList();
        assertThat(released).hasSize(2).allSatisfy(e -> {
            assertThat(e.sessionId()).isEqualTo("s1");
            assertThat(e.payload().get("reason").asText()).isEqualTo("holder_disconnected");
        });
        assertThat(released).extracting(e -> e.payload().get("work_id").asText()).containsExactlyInAnyOrder("w1", "w2");

        work.sweep();
        assertThat(announced.stream().filter(e -> e.eventType().equals("work.released"))).as("released once").hasSize(2);
    }

    @Test
    void reconnectWithinGraceCancelsTheRelease() {
        work.claim("s1", "w1", null, null);
        work.sessionDetached("s1");
        clock.advance(Duration.ofSeconds(2));

        work.sessionAttached("s1");
        clock.advance(Duration.ofMinutes(4));
        work.sweep();

        assertThat(work.heldBy("s1")).hasSize(1);
        assertThat(announced).extracting(PublishRequest::eventType).containsExactly("work.claimed");
    }

    @Test
    void zeroGraceReleasesAtTheNextSweep() {
        WorkCoordinator noGrace = coordinator(Duration.ZERO);
        noGrace.claim("s1", "w1", null, null);
        noGrace.sessionDetached("s1");

        noGrace.sweep();

        assertThat(noGrace.claimed()).isEmpty();
    }

    @Test
    void leaseExpiryFreesTheItemAndPublishesWorkExpired() {
        Claim leased = work.claim("s1", "w1", null, Duration.ofSeconds(30));
        Claim open = work.claim("s1", "w2", null, Duration.ofSeconds(60));
        assertThat(leased.expiresAt()).isEqualTo(clock.instant().plusSeconds(30));

        clock.advance(Duration.ofSeconds(29));
        work.sweep();
        assertThat(work.claimed()).containsExactly(leased, open);

        clock.advance(Duration.ofSeconds(1));
        work.sweep();
        assertThat(work.claimed()).containsExactly(open);
        assertThat(announced.get(announced.size() - 1)).satisfies(e -> {
            assertThat(e.eventType()).isEqualTo("work.expired");
            assertThat(e.payload().get("work_id").asText()).isEqualTo("w1");
            assertThat(e.payload().get("fencing_token").asLong()).isEqualTo(leased.fencingToken());
            assertThat(e.payload().get("reason").asText()).isEqualTo("expired");
        });
    }

    @Test
    void ttlMustBeWithinBounds() {
        Duration max = WorkOptions.defaults().leases().maxTtl();
        for (Duration ttl : List.of(Duration.ZERO, Duration.ofSeconds(-1), max.plusSeconds(1))) {
            NexusException e = catchThrowableOfType(NexusException.class, () -> work.claim("s1", "w1", null, ttl));
            assertThat(e.code()).as("ttl %s", ttl).isEqualTo(ErrorCode.INVALID_FIELD);
            assertThat(e.details()).containsEntry("field", "lease_ttl_s");
        }
        assertThat(work.claimed()).isEmpty();
        assertThat(work.claim("s1", "w1", null, max).expiresAt()).isEqualTo(clock.instant().plus(max));
    }

    @Test
    void everyClaimHasALeaseOfTheDefaultLengthWhenNoneIsAsked() {
        Claim claim = work.claim("s1", "w1", null, null);

        assertThat(claim.expiresAt()).isEqualTo(clock.instant().plus(LeasePolicy.DEFAULT_TTL));
        assertThat(announced.getFirst().payload().get("lease_expires_at").asText())
                .isEqualTo(WireTime.format(claim.expiresAt()));
    }

    @Test
    void fencingTokensStrictlyIncrease() {
        List<Long> tokens = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Claim claim = work.claim("s" + (i % 3), "w" + (i % 2), null, null);
            tokens.add(claim.fencingToken());
            work.release(claim.claimedBy(), claim.workId(), claim.fencingToken());
        }

        assertThat(tokens).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void negativeGraceIsRejected() {
        assertThatThrownBy(() -> coordinator(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grace");
    }
}
