package dev.nexus.bench.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.protocol.WireJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The payload every system carries: exact size, valid JSON (Nexus parses it), its due time read back. */
class PayloadTest {
    @Test
    void fixedPayloadIsAJsonObjectOfTheRequestedSize() throws Exception {
        byte[] payload = Payload.fixed(200);
        assertThat(payload).hasSize(200);
        assertThat(WireJson.mapper().readTree(payload).isObject()).isTrue();
    }

    @Test
    void dueTimeRoundTripsThroughValidJsonOfTheRequestedSize() throws Exception {
        Payload.DueWriter writer = new Payload.DueWriter(200);
        for (long due : new long[] {0, 7, 123_456_789_012L, 4_000_000_000_000_000_000L}) {
            byte[] payload = writer.write(due);
            assertThat(payload).hasSize(200);
            assertThat(WireJson.mapper().readTree(payload).path("due").isIntegralNumber()).as(new String(payload, StandardCharsets.US_ASCII)).isTrue();
            assertThat(Payload.due(Payload.view(payload))).isEqualTo(due);
        }
    }

    @Test
    void dueIsFoundInsideAnEnvelopeAndMissingDueIsNegative() {
        byte[] payload = Payload.withDue(987_654_321L, 60);
        String envelope = "{\"event_id\":\"x\",\"seq\":3,\"payload\":" + new String(payload, StandardCharsets.US_ASCII) + "}";
        assertThat(Payload.due(Payload.view(envelope.getBytes(StandardCharsets.US_ASCII)))).isEqualTo(987_654_321L);
        assertThat(Payload.due(Payload.view(Payload.fixed(50)))).isNegative();
    }
}
