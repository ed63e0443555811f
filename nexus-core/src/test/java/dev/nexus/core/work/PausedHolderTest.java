package dev.nexus.core.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nexus.core.spi.Claim;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The failure fencing tokens exist for: a holder paused past its lease wakes up and acts on work another session
 * now holds. Time is a fake clock; nothing sleeps.
 */
class PausedHolderTest {
    private final WorkFixture fixture = new WorkFixture();
    private final WorkCoordinator work = fixture.work;

    @Test
    void aPausedHolderCannotCompleteWorkItsSuccessorHolds() {
        Claim a = work.claim("agent-a", "deploy", "deploy the dashboard", Duration.ofSeconds(30));

        fixture.clock.advance(Duration.ofSeconds(31)); // A is paused (GC, laptop sleep) past its lease
        work.sweep();
        assertThat(fixture.types()).containsExactly("work.claimed", "work.expired");

        Claim b = work.claim("agent-b", "deploy", "deploy the dashboard", Duration.ofSeconds(30));
        assertThat(b.fencingToken()).isGreaterThan(a.fencingToken());

        NexusException stale = catchThrowableOfType(NexusException.class,
                () -> work.complete("agent-a", "deploy", a.fencingToken(), null));
        assertThat(stale.code()).isEqualTo(ErrorCode.STALE_TOKEN);
        assertThat(stale.code().httpStatus()).isEqualTo(409);
        assertThat(stale.details()).containsEntry("current_fencing_token", b.fencingToken());

        assertThat(work.complete("agent-b", "deploy", b.fencingToken(), null)).isEqualTo(b);
        assertThat(fixture.events("work.completed")).singleElement()
                .satisfies(e -> assertThat(e.payload().get("fencing_token").asLong()).isEqualTo(b.fencingToken()));
        assertThat(work.claimed()).isEmpty();

        NexusException late = catchThrowableOfType(NexusException.class,
                () -> work.complete("agent-a", "deploy", a.fencingToken(), null));
        assertThat(late.code()).isEqualTo(ErrorCode.STALE_TOKEN);
        assertThat(fixture.events("work.completed")).as("completed once").hasSize(1);
    }

    @Test
    void renewKeepsTheLeaseAliveAndAnnouncesTheNewEnd() {
        Claim a = work.claim("agent-a", "index", null, Duration.ofSeconds(30));

        fixture.clock.advance(Duration.ofSeconds(20));
        Claim renewed = work.renew("agent-a", "index", a.fencingToken(), 60L);
        fixture.clock.advance(Duration.ofSeconds(50));
        work.sweep();

        assertThat(renewed.expiresAt()).isEqualTo(a.claimedAt().plusSeconds(80));
        assertThat(renewed.fencingToken()).isEqualTo(a.fencingToken());
        assertThat(work.claimed()).containsExactly(renewed);
        assertThat(fixture.types()).containsExactly("work.claimed", "work.renewed");

        fixture.clock.advance(Duration.ofSeconds(10));
        work.sweep();
        assertThat(work.claimed()).isEmpty();
        assertThat(work.recentExpiries()).singleElement()
                .satisfies(expiry -> assertThat(expiry.claim().fencingToken()).isEqualTo(a.fencingToken()));
    }

    @Test
    void renewOfAnExpiredAndReclaimedItemIsStale() {
        Claim a = work.claim("agent-a", "index", null, Duration.ofSeconds(30));
        fixture.clock.advance(Duration.ofSeconds(30));
        work.sweep();
        work.claim("agent-b", "index", null, null);

        NexusException e = catchThrowableOfType(NexusException.class,
                () -> work.renew("agent-a", "index", a.fencingToken(), null));

        assertThat(e.code()).isEqualTo(ErrorCode.STALE_TOKEN);
        assertThat(work.claimed()).extracting(Claim::claimedBy).containsExactly("agent-b");
    }

    @Test
    void leasesAreBoundedByThePolicy() {
        LeasePolicy policy = LeasePolicy.upTo(Duration.ofSeconds(120));

        assertThat(policy.defaultTtl()).isEqualTo(Duration.ofSeconds(120));
        assertThat(policy.resolve(120L)).isEqualTo(Duration.ofSeconds(120));
        assertThat(catchThrowableOfType(NexusException.class, () -> policy.resolve(121L)).details())
                .containsEntry("field", "lease_ttl_s");
        assertThat(LeasePolicy.upTo(Duration.ofHours(1)).defaultTtl()).isEqualTo(LeasePolicy.DEFAULT_TTL);
    }
}
