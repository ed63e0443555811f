package dev.nexus.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {
    private final MutableClock clock = new MutableClock();
    private final EventIds ids = new EventIds(clock);

    @Test
    void idsAreVersion7WithTheClockMillis() {
        UUID id = UUID.fromString(ids.next());

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(clock.millis());
    }

    @Test
    void idsSortByTimeAcrossMilliseconds() {
        String earlier = ids.next();
        clock.advance(Duration.ofMillis(1));
        String later = ids.next();

        assertThat(later).isGreaterThan(earlier);
    }

    @Test
    void idsWithinOneMillisecondAreUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(ids.next())).isTrue();
        }
    }

    @Test
    void randomTokensAreSixteenHexCharacters() {
        assertThat(EventIds.randomToken()).matches("[0-9a-f]{16}").isNotEqualTo(EventIds.randomToken());
    }
}
