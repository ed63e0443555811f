package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WireTimeTest {

    @Test
    void formatsUtcWithMilliseconds() {
        assertThat(WireTime.format(Instant.parse("2025-11-17T07:50:00Z"))).isEqualTo("2025-11-17T07:50:00.000Z");
        assertThat(WireTime.format(Instant.parse("2025-11-17T07:50:00.123456789Z"))).isEqualTo("2025-11-17T07:50:00.123Z");
    }

    @Test
    void truncatesToMilliseconds() {
        assertThat(WireTime.truncate(Instant.parse("2025-11-17T07:50:00.123999Z"))).isEqualTo(Instant.parse("2025-11-17T07:50:00.123Z"));
    }

    @ParameterizedTest
    @CsvSource({
            "2025-11-17T07:00:00Z, 2025-11-17T07:00:00Z",
            "2025-11-17T07:00:00.5Z, 2025-11-17T07:00:00.500Z",
            "2025-11-17T09:00:00+02:00, 2025-11-17T07:00:00Z",
            "2025-11-17T02:00:00-05:00, 2025-11-17T07:00:00Z"})
    void parsesIsoInstantsAndOffsets(String text, String expected) {
        assertThat(WireTime.parse(text, "since")).isEqualTo(Instant.parse(expected));
    }

    @Test
    void refusesOtherText() {
        assertThatThrownBy(() -> WireTime.parse("yesterday", "since"))
                .isInstanceOfSatisfying(NexusException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
                    assertThat(e.details()).containsEntry("parameter", "since");
                });
    }
}
