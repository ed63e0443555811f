package dev.nexus.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void defaultsDoubleFromOneSecondUpToOneMinute() {
        Backoff backoff = Backoff.defaults();

        assertThat(IntStream.rangeClosed(1, 9).mapToObj(backoff::delayAfter).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
        assertThat(backoff.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void refusesNonsense() {
        Duration second = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, second, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(second, Duration.ofMillis(10), 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(second, second, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(second, second, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.defaults().delayAfter(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
