package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Fuzzes the event reader shared by {@code POST /events} and the {@code publish} frame: any JSON document the
 * wire parser accepts is read into a valid {@link PublishRequest} or refused with a {@link NexusException};
 * the wire parser itself refuses anything else with an {@link IOException}. Corpus in
 * {@code PublishRequestReaderFuzzTestInputs}.
 */
class PublishRequestReaderFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void anyDocumentIsARequestOrARefusal(byte[] input) throws IOException {
        JsonNode body;
        try {
            body = WireJson.readUtf8(input);
        } catch (IOException malformed) {
            // JacksonException, or not UTF-8 (the finding kept as corpus entry utf32-detected)
            return;
        }
        if (body == null) {
            return;
        }
        for (String connectionSession : new String[] {null, "fuzz-session"}) {
            try {
                PublishRequest request = PublishRequestReader.read(body, connectionSession);
                Topic.requireValid(request.eventType());
                assertThat(SessionId.isValid(request.sessionId())).isTrue();
                if (connectionSession != null) {
                    assertThat(request.sessionId()).isEqualTo(connectionSession);
                }
                assertThat(request.payload()).isNotNull();
            } catch (NexusException refused) {
                assertThat(refused.code()).isNotNull();
            }
        }
    }
}
