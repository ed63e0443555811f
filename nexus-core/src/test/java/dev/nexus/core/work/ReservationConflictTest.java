package dev.nexus.core.work;

import static dev.nexus.core.work.WorkFixture.claimOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nexus.core.spi.Claim;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.ReservationMode;
import dev.nexus.protocol.ResourceGlob;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ReservationConflictTest {
    private final WorkFixture fixture = new WorkFixture();
    private final WorkCoordinator work = fixture.work;

    @ParameterizedTest(name = "{0} {1} then {2} {3}: conflict {4}")
    @CsvSource(delimiter = '|', textBlock = """
            exclusive | src/api/**  | exclusive | src/api/users.py | true
            exclusive | src/api/**  | shared    | src/**           | true
            shared    | src/api/**  | exclusive | src/api/x        | true
            shared    | src/api/**  | shared    | src/api/x        | false
            exclusive | src/api/**  | exclusive | src/web/**       | false
            exclusive | README.md   | exclusive | *.md             | true
            exclusive | README.md   | exclusive | docs/*.md        | false
            """)
    void secondClaimOfAnotherSession(String firstMode, String firstResource, String secondMode, String secondResource,
            boolean conflict) {
        Claim first = work.claim("alice", claimOf("one", ReservationMode.parse(firstMode), firstResource));

        NexusException e = catchThrowableOfType(NexusException.class,
                () -> work.claim("bob", claimOf("two", ReservationMode.parse(secondMode), secondResource)));

        if (conflict) {
            assertThat(e.code()).isEqualTo(ErrorCode.RESERVATION_CONFLICT);
            assertThat(e.code().httpStatus()).isEqualTo(409);
            assertThat(e.details()).containsEntry("claimed_by", "alice").containsEntry("held_work_id", "one")
                    .containsEntry("resource", firstResource).containsEntry("requested_resource", secondResource)
                    .containsEntry("mode", firstMode);
            assertThat(work.claimed()).containsExactly(first);
        } else {
            assertThat(e).isNull();
            assertThat(work.claimed()).hasSize(2);
        }
    }

    @Test
    void aSessionsOwnReservationsDoNotConflictAndReleaseFreesThem() {
        Claim one = work.claim("alice", claimOf("one", ReservationMode.EXCLUSIVE, "src/**"));
        work.claim("alice", claimOf("two", ReservationMode.EXCLUSIVE, "src/api/**"));

        assertThat(work.reservations(ResourceGlob.parse("src/api/users.py")))
                .extracting(r -> r.claim().workId() + "@" + r.resource().text())
                .containsExactly("one@src/**", "two@src/api/**");
        assertThat(work.reservations(ResourceGlob.parse("docs/index.md"))).isEmpty();
        assertThat(work.reservations(null)).hasSize(2);

        work.release("alice", "one", one.fencingToken());
        work.release("alice", "two", null);
        assertThat(work.claim("bob", claimOf("three", ReservationMode.EXCLUSIVE, "src/**")).claimedBy()).isEqualTo("bob");
    }

    @Test
    void anExpiredReservationFreesItsResources() {
        work.claim("alice", new dev.nexus.protocol.WorkCommand.Claim("one", null, 30L,
                java.util.List.of(ResourceGlob.parse("src/**")), ReservationMode.EXCLUSIVE));
        fixture.clock.advance(Duration.ofSeconds(30));
        work.sweep();

        assertThat(work.claim("bob", claimOf("two", ReservationMode.EXCLUSIVE, "src/a.py")).claimedBy()).isEqualTo("bob");
    }
}
