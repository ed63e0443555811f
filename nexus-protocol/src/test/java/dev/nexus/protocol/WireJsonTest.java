package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireJsonTest {
    static final String DOCUMENT = "{\"event_type\":\"a.b\",\"session_id\":\"é\"}";

    @Test
    void utf8DocumentsAreRead() throws IOException {
        assertThat(WireJson.readUtf8(DOCUMENT.getBytes(StandardCharsets.UTF_8)).path("session_id").asText()).isEqualTo("é");
    }

    /** Regression for the fuzzing finding kept as corpus entry {@code utf32-detected}: Jackson guessed UTF-32. */
    @Test
    void utf16AndUtf32DocumentsAreRefusedNotGuessed() {
        for (Charset charset : new Charset[] {StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE,
                StandardCharsets.UTF_16, Charset.forName("UTF-32LE")}) {
            assertThatThrownBy(() -> WireJson.readUtf8(DOCUMENT.getBytes(charset)))
                    .as(charset.name()).isInstanceOf(CharConversionException.class).hasMessageContaining("not UTF-8");
        }
        byte[] finding = {1, 0, 0, 0, 'e', 's', 's', 'i', 'o', 'n', '_', 0, 0, 16, 0, 0};
        assertThatThrownBy(() -> WireJson.readUtf8(finding)).isInstanceOf(CharConversionException.class);
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        String deep = "[".repeat(WireJson.MAX_NESTING_DEPTH + 1) + "]".repeat(WireJson.MAX_NESTING_DEPTH + 1);
        assertThatThrownBy(() -> WireJson.readUtf8(deep.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("64");
    }
}
