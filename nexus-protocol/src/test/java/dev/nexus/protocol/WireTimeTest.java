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

    @Test
    void agreesWithTheStandardFormatterEverywhere() {
        java.time.format.DateTimeFormatter reference =
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
        java.util.Random random = new java.util.Random(20261123);
        java.util.List<Instant> instants = new java.util.ArrayList<>(java.util.List.of(
                Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999Z"), Instant.parse("2024-02-29T23:59:59.999Z"),
                Instant.parse("2000-01-01T00:00:00.001Z"), Instant.parse("9999-12-31T23:59:59.999Z")));
        for (int i = 0; i < 20_000; i++) {
            instants.add(Instant.ofEpochMilli(random.nextLong(-5_000_000_000_000L, 253_402_300_799_999L)));
        }
        for (Instant instant : instants) {
            assertThat(WireTime.format(instant)).as("%s", instant).isEqualTo(reference.format(instant));
            assertThat(WireTime.format(instant)).as("cached %s", instant).isEqualTo(reference.format(instant));
        }
    }
}
