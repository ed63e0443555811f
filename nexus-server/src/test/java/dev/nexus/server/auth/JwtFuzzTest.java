package dev.nexus.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Fuzzes JWT parsing and verification: no credential a client can send makes {@link JwtAuthenticator} throw
 * anything but an {@code invalid_token}/{@code token_expired} refusal, and no refusal message echoes the
 * credential. Corpus in {@code JwtFuzzTestInputs} (valid, expired, unsigned, confused-algorithm and mangled
 * tokens).
 */
class JwtFuzzTest {
    static final byte[] SECRET = "fuzz-secret-fuzz-secret-fuzz-secret!".getBytes(StandardCharsets.UTF_8);
    private static final JwtAuthenticator JWT = new JwtAuthenticator(
            List.of(JwtKeys.hmac(SECRET, null, "fuzz")), "https://issuer.example", "nexus", Duration.ofSeconds(30),
            Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));

    @FuzzTest(maxDuration = "15s")
    void anyCredentialIsASessionOrARefusal(byte[] input) {
        String credential = new String(input, StandardCharsets.UTF_8);
        try {
            Principal principal = JWT.authenticate(credential);
            assertThat(principal.kind()).isEqualTo(Principal.Kind.SESSION);
            assertThat(principal.expiresAt()).isNotNull();
        } catch (NexusException refused) {
            assertThat(refused.code()).isIn(ErrorCode.INVALID_TOKEN, ErrorCode.TOKEN_EXPIRED);
            if (credential.length() >= 8) {
                assertThat(refused.getMessage()).doesNotContain(credential);
            }
        }
    }
}
