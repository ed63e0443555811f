package dev.nexus.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nexus.protocol.SessionId;

/**
 * Fuzzes the tokens-file parser: any file content yields valid entries or an {@link IllegalArgumentException}
 * with a sentence for the operator — never another exception, which would take down a reload. Corpus in
 * {@code TokenFileFuzzTestInputs}.
 */
class TokenFileFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void anyFileIsTokensOrAClearRefusal(byte[] input) {
        try {
            for (TokenFile.Entry entry : TokenFile.parse(input)) {
                assertThat(SessionId.isValid(entry.sessionId())).isTrue();
                assertThat(entry.digest()).hasSize(32);
            }
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
