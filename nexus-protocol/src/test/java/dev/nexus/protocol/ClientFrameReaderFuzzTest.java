package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the WebSocket frame decoder: whatever text a client sends, {@link ClientFrameReader#read} either returns
 * a frame or refuses it with a {@link NexusException} — never another exception, never a stack overflow.
 * Without {@code JAZZER_FUZZ} it replays the committed corpus in {@code ClientFrameReaderFuzzTestInputs}; the
 * {@code fuzz} surefire executions run it in fuzzing mode for a bounded time.
 */
class ClientFrameReaderFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void anyTextIsAFrameOrARefusal(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            ClientFrame frame = ClientFrameReader.read(text, "fuzz-session");
            assertThat(frame).isNotNull();
            if (frame instanceof ClientFrame.Publish publish) {
                assertThat(publish.request().sessionId()).isEqualTo("fuzz-session");
            }
        } catch (NexusException refused) {
            assertThat(refused.code()).isNotNull();
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
