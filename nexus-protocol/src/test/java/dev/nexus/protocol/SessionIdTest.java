package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class SessionIdTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' valid={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            agent-1            | true
            A_b.c-9            | true
            _                  | true
            -                  | true
            a.                 | true
            a..b               | true
            .hidden            | false
            .                  | false
            ..                 | false
            a/b                | false
            ../etc             | false
            "a b"              | false
            a:b                | false
            a*                 | false
            é                  | false
            """)
    void grammar(String id, boolean valid) {
        assertThat(SessionId.isValid(id)).isEqualTo(valid);
    }

    @Test
    void lengthLimit() {
        assertThat(SessionId.isValid("a".repeat(SessionId.MAX_LENGTH))).isTrue();
        assertThat(SessionId.isValid("a".repeat(SessionId.MAX_LENGTH + 1))).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void nullAndEmptyAreInvalid(String id) {
        assertThat(SessionId.isValid(id)).isFalse();
    }

    @Test
    void requireValidNamesTheField() {
        assertThat(SessionId.requireValid("agent-1", "session_id")).isEqualTo("agent-1");
        assertThatThrownBy(() -> SessionId.requireValid("../x", "target_session_id"))
                .isInstanceOfSatisfying(NexusException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SESSION_ID);
                    assertThat(e.details()).containsEntry("field", "target_session_id");
                    assertThat(e.getMessage()).contains("target_session_id", "../x");
                });
    }
}
