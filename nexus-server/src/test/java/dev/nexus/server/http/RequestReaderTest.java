package dev.nexus.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestReaderTest {

    @Test
    void aBodyThatIsNotUtf8IsMalformedJsonNotAServerError() {
        String body = "{\"event_type\":\"a.b\",\"session_id\":\"s\"}";
        NexusException refused = catchThrowableOfType(NexusException.class,
                () -> RequestReader.object(body.getBytes(StandardCharsets.UTF_16LE)));
        assertThat(refused.code()).isEqualTo(ErrorCode.MALFORMED_JSON);
        assertThat(refused.getMessage()).contains("not UTF-8");
        assertThat(RequestReader.object(body.getBytes(StandardCharsets.UTF_8)).path("session_id").asText()).isEqualTo("s");
    }
}
