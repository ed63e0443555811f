package dev.nexus.core.work;

import static dev.nexus.core.work.WorkFixture.item;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.WorkItem;
import dev.nexus.core.spi.WorkStatus;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    private final WorkFixture fixture = new WorkFixture();
    private final WorkCoordinator work = fixture.work;

    @Test
    void nextHandsOutTheHighestPriorityThenTheOldestClaimedWithALease() {
        work.enqueue("planner", item("bulk", 4, List.of(), List.of(), 3));
        work.enqueue("planner", item("normal-1", 2, List.of(), List.of(), 3));
        work.enqueue("planner", item("critical", 0, List.of(), List.of(), 3));
        work.enqueue("planner", item("normal-2", 2, List.of(), List.of(), 3));

        List<String> order = List.of(next("w"), next("w"), next("w"), next("w"));

        assertThat(order).containsExactly("critical", "normal-1", "normal-2", "bulk");
        assertThat(work.next("w", null)).isEmpty();
        assertThat(work.claimed()).allSatisfy(claim -> {
            assertThat(claim.claimedBy()).isEqualTo("w");
            assertThat(claim.expiresAt()).isEqualTo(fixture.clock.instant().plus(LeasePolicy.DEFAULT_TTL));
        });
        assertThat(work.items(WorkStatus.CLAIMED)).hasSize(4);
        assertThat(fixture.events("work.enqueued")).hasSize(4);
        assertThat(fixture.events("work.claimed")).hasSize(4);
    }

    @Test
    void anItemIsReadyOnlyOnceEveryDependencyIsCompleted() {
        work.enqueue("planner", item("fetch"));
        work.enqueue("planner", item("build", 0, List.of(), List.of("fetch"), 3));

        WorkCoordinator.Handed fetch = work.next("w", null).orElseThrow();
        assertThat(fetch.item().workId()).isEqualTo("fetch");
        assertThat(work.next("w", null)).as("build waits for fetch").isEmpty();

        work.complete("w", "fetch", fetch.claim().fencingToken(), null);

        assertThat(next("w")).isEqualTo("build");
        assertThat(work.item("fetch").orElseThrow().status()).isEqualTo(WorkStatus.COMPLETED);
    }

    @Test
    void capabilitiesNeededMustAllBeAnnouncedBySessionCaseInsensitively() {
        fixture.online("generalist", "python");
        fixture.online("specialist", "Python", "WebSocket");
        work.enqueue("planner", item("ws-fix", 2, List.of("python", "websocket"), List.of(), 3));

        assertThat(work.next("generalist", null)).isEmpty();
        assertThat(work.next("unknown-session", null)).isEmpty();
        assertThat(next("specialist")).isEqualTo("ws-fix");
    }

    @Test
    void aFailedItemIsRetriedAfterAnExponentialBackoffThenDiesWithItsHistory() {
        work.enqueue("planner", item("flaky", 2, List.of(), List.of(), 3));

        WorkCoordinator.Handed first = work.next("w1", null).orElseThrow();
        WorkCoordinator.Ended failed = work.fail("w1", "flaky", first.claim().fencingToken(), "disk full");
        assertThat(failed.item().status()).isEqualTo(WorkStatus.PENDING);
        assertThat(failed.item().readyAt()).isEqualTo(fixture.clock.instant().plusSeconds(1));
        assertThat(work.next("w2", null)).as("backing off").isEmpty();

        fixture.clock.advance(Duration.ofSeconds(1));
        WorkCoordinator.Handed second = work.next("w2", null).orElseThrow();
        assertThat(fixture.events("work.claimed").getLast().payload().get("attempt").asInt()).isEqualTo(2);
        WorkCoordinator.Ended again = work.fail("w2", "flaky", second.claim().fencingToken(), "timeout");
        assertThat(again.item().readyAt()).as("doubled").isEqualTo(fixture.clock.instant().plusSeconds(2));

        fixture.clock.advance(Duration.ofSeconds(2));
        WorkCoordinator.Handed third = work.next("w3", null).orElseThrow();
        WorkCoordinator.Ended dead = work.fail("w3", "flaky", third.claim().fencingToken(), "still broken");

        assertThat(dead.item().status()).isEqualTo(WorkStatus.DEAD);
        assertThat(dead.item().attempts()).extracting(a -> a.sessionId() + ":" + a.outcome() + ":" + a.reason())
                .containsExactly("w1:failed:disk full", "w2:failed:timeout", "w3:failed:still broken");
        assertThat(fixture.events("work.dead")).singleElement().satisfies(e -> {
            assertThat(e.payload().get("work_id").asText()).isEqualTo("flaky");
            assertThat(e.payload().get("cause").asText()).isEqualTo("max_attempts");
            assertThat(e.payload().get("history")).hasSize(3);
        });
        fixture.clock.advance(Duration.ofHours(1));
        assertThat(work.next("w4", null)).isEmpty();
        assertThat(work.items(WorkStatus.DEAD)).extracting(WorkItem::workId).containsExactly("flaky");
    }

    @Test
    void dependentsOfADeadItemDieWithIt() {
        work.enqueue("planner", item("root", 2, List.of(), List.of(), 1));
        work.enqueue("planner", item("child", 2, List.of(), List.of("root"), 3));
        work.enqueue("planner", item("grandchild", 2, List.of(), List.of("child"), 3));

        WorkCoordinator.Handed root = work.next("w", null).orElseThrow();
        work.fail("w", "root", root.claim().fencingToken(), null);

        assertThat(work.items(WorkStatus.DEAD)).extracting(WorkItem::workId).containsExactly("root", "child", "grandchild");
        assertThat(fixture.events("work.dead")).extracting(e -> e.payload().get("cause").asText())
                .containsExactly("max_attempts", "dependency_dead", "dependency_dead");
        NexusException e = catchThrowableOfType(NexusException.class,
                () -> work.enqueue("planner", item("late", 2, List.of(), List.of("root"), 3)));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
    }

    @Test
    void anExpiredLeaseCountsAsAFailedAttemptAndAReleaseDoesNot() {
        work.enqueue("planner", item("job", 2, List.of(), List.of(), 2));

        WorkCoordinator.Handed first = work.next("w1", 10L).orElseThrow();
        work.release("w1", "job", first.claim().fencingToken());
        assertThat(work.item("job").orElseThrow().failures()).isZero();

        work.next("w2", 10L).orElseThrow();
        fixture.clock.advance(Duration.ofSeconds(10));
        work.sweep();
        WorkItem afterExpiry = work.item("job").orElseThrow();
        assertThat(afterExpiry.failures()).isEqualTo(1);
        assertThat(afterExpiry.status()).isEqualTo(WorkStatus.PENDING);
        assertThat(fixture.events("work.expired").getLast().payload().get("retry_at")).isNotNull();

        fixture.clock.advance(Duration.ofSeconds(1));
        work.next("w3", 10L).orElseThrow();
        work.sessionDetached("w3", "ping_timeout");
        fixture.clock.advance(WorkFixture.GRACE);
        work.sweep();

        WorkItem dead = work.item("job").orElseThrow();
        assertThat(dead.status()).isEqualTo(WorkStatus.DEAD);
        assertThat(dead.attempts()).extracting(a -> a.outcome()).containsExactly("released", "expired", "ping_timeout");
        assertThat(fixture.events("work.released").getLast().payload().get("reason").asText()).isEqualTo("ping_timeout");
    }

    @Test
    void enqueueRefusesDuplicatesUnknownDependenciesAndClaimedIds() {
        work.enqueue("planner", item("a"));
        work.claim("s1", "held", null, null);

        assertThat(refuse(() -> work.enqueue("planner", item("a"))).code()).isEqualTo(ErrorCode.WORK_EXISTS);
        assertThat(refuse(() -> work.enqueue("planner", item("b", 2, List.of(), List.of("nope"), 3))).details())
                .containsEntry("field", "depends_on");
        assertThat(refuse(() -> work.enqueue("planner", item("held"))).code()).isEqualTo(ErrorCode.CLAIM_CONFLICT);
        assertThat(refuse(() -> work.claim("s1", "a", null, null)).code()).isEqualTo(ErrorCode.WORK_QUEUED);
        assertThat(work.items(null)).extracting(WorkItem::workId).containsExactly("a");
    }

    @Test
    void operatorForceReleaseAndReassignMoveQueueItems() {
        work.enqueue("planner", item("job"));
        Claim first = work.next("w1", null).orElseThrow().claim();

        Claim reassigned = work.reassign("job", "w2", "w1 is stuck");
        assertThat(reassigned.claimedBy()).isEqualTo("w2");
        assertThat(reassigned.fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(refuse(() -> work.complete("w1", "job", first.fencingToken(), null)).code())
                .isEqualTo(ErrorCode.STALE_TOKEN);
        assertThat(fixture.events("work.released").getLast().payload().get("reason").asText()).isEqualTo("reassigned");
        assertThat(fixture.events("work.claimed").getLast().payload().get("reassigned_from").asText()).isEqualTo("w1");

        work.forceRelease("job", "maintenance");
        assertThat(work.item("job").orElseThrow().status()).isEqualTo(WorkStatus.PENDING);
        assertThat(work.item("job").orElseThrow().failures()).isZero();
        assertThat(fixture.events("work.released").getLast().payload().get("reason").asText()).isEqualTo("forced");

        work.complete("w3", "job", work.next("w3", null).orElseThrow().claim().fencingToken(), null);
        assertThat(refuse(() -> work.reassign("job", "w4", null)).code()).isEqualTo(ErrorCode.WORK_FINISHED);
        assertThat(refuse(() -> work.reassign("nothing", "w4", null)).code()).isEqualTo(ErrorCode.WORK_NOT_FOUND);
        assertThat(refuse(() -> work.forceRelease("job", null)).code()).isEqualTo(ErrorCode.CLAIM_NOT_FOUND);
    }

    @Test
    void staleListsClaimsWhoseHolderIsNotOnline() {
        fixture.online("here");
        work.claim("here", "a", null, null);
        Claim gone = work.claim("gone", "b", null, null);

        assertThat(work.stale()).containsExactly(gone);
    }

    @Test
    void aRestartedCoordinatorReconcilesItemsWithTheClaimsThatSurvived() {
        work.enqueue("planner", item("kept"));
        work.enqueue("planner", item("lost"));
        Claim kept = work.next("w", null).orElseThrow().claim();
        Claim lost = work.next("w", null).orElseThrow().claim();
        fixture.leases.remove(lost); // the claim is gone but the item still says claimed, as after a crash between them

        WorkCoordinator restarted = fixture.coordinator(RetryPolicy.defaults());

        assertThat(restarted.item("kept").orElseThrow().status()).isEqualTo(WorkStatus.CLAIMED);
        assertThat(restarted.item("lost").orElseThrow().status()).isEqualTo(WorkStatus.PENDING);
        assertThat(restarted.next("w2", null).map(h -> h.item().workId())).isEqualTo(Optional.of("lost"));
        assertThat(restarted.complete("w", "kept", kept.fencingToken(), null)).isEqualTo(kept);
    }

    private String next(String sessionId) {
        return work.next(sessionId, null).orElseThrow().item().workId();
    }

    private static NexusException refuse(Runnable call) {
        return catchThrowableOfType(NexusException.class, call::run);
    }
}
