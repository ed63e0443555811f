package dev.nexus.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PrincipalTest {

    @Test
    void aSessionActsAsItselfOnlyTheAnonymousCallerAsAnyoneTheAdminAsNoSession() {
        Principal alice = Principal.session("alice", null);
        assertThat(alice.requireActingAs("alice")).isEqualTo("alice");
        assertThatThrownBy(() -> alice.requireActingAs("bob")).isInstanceOfSatisfying(NexusException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(e.code().httpStatus()).isEqualTo(403);
            assertThat(e.details()).containsEntry("session_id", "bob");
        });
        assertThat(Principal.anonymous().mayActAs("anyone")).isTrue();
        assertThat(Principal.admin().mayActAs("alice")).isFalse();
        Principal.admin().requireAdmin();
        assertThatThrownBy(alice::requireAdmin).isInstanceOf(NexusException.class);
    }

    @Test
    void expiryIsInclusiveAndAbsentMeansNever() {
        Instant at = Instant.parse("2030-01-01T00:00:00Z");
        Principal expiring = Principal.session("alice", at);
        assertThat(expiring.expiredAt(at.minusMillis(1))).isFalse();
        assertThat(expiring.expiredAt(at)).isTrue();
        assertThat(Principal.session("alice", null).expiredAt(Instant.MAX)).isFalse();
    }
}
