package dev.nexus.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.PublishRequestReader;
import dev.nexus.protocol.WorkId;

/**
 * Fuzzes the HTTP body parsers: whatever bytes a client posts, {@link RequestReader#object(byte[])} and the
 * readers of {@code POST /events} and {@code /work/*} bodies either accept them or refuse them with a
 * {@link NexusException} (a structured 4xx) — never another exception, which would be a 500. Corpus in
 * {@code HttpBodyFuzzTestInputs}.
 */
class HttpBodyFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void anyBodyIsReadOrRefusedWithAStructuredError(byte[] input) {
        ObjectNode body;
        try {
            body = RequestReader.object(input);
        } catch (NexusException refused) {
            assertThat(refused.code().httpStatus()).isBetween(400, 499);
            return;
        }
        expectReadOrRefused(() -> PublishRequestReader.read(body, null));
        expectReadOrRefused(() -> WorkId.read(body));
        expectReadOrRefused(() -> WorkId.readDescription(body));
    }

    private static void expectReadOrRefused(Runnable read) {
        try {
            read.run();
        } catch (NexusException refused) {
            assertThat(refused.code().httpStatus()).isBetween(400, 499);
        }
    }
}
