package dev.nexus.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.core.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WindowedCounterTest {
    private final MutableClock clock = new MutableClock();
    private final WindowedCounter counter = new WindowedCounter(clock, 1_000, 60);

    @Test
    void sumsOverTheWindow() {
        counter.add(3);
        clock.advance(Duration.ofMillis(500));
        counter.add(2);
        clock.advance(Duration.ofSeconds(20));
        counter.add(5);

        assertThat(counter.sum()).isEqualTo(10);
        assertThat(counter.windowMillis()).isEqualTo(60_000);
    }

    @Test
    void oldBucketsExpire() {
        counter.add(4);                          // bucket 0
        clock.advance(Duration.ofSeconds(30));
        counter.add(6);                          // bucket 30

        clock.advance(Duration.ofSeconds(29));   // now bucket 59: both inside
        assertThat(counter.sum()).isEqualTo(10);

        clock.advance(Duration.ofSeconds(1));    // bucket 60: bucket 0 left the window
        assertThat(counter.sum()).isEqualTo(6);

        clock.advance(Duration.ofSeconds(30));   // bucket 90: everything left
        assertThat(counter.sum()).isZero();
    }

    @Test
    void aReusedSlotStartsFromZero() {
        counter.add(7);                          // bucket 0, slot 0
        clock.advance(Duration.ofSeconds(60));   // bucket 60, slot 0 again

        counter.add(1);

        assertThat(counter.sum()).isEqualTo(1);
    }

    @Test
    void longIdleGapForgetsEverything() {
        counter.add(100);
        clock.advance(Duration.ofDays(3));

        assertThat(counter.sum()).isZero();
        counter.add(1);
        assertThat(counter.sum()).isEqualTo(1);
    }

    @Test
    void rejectsNonPositiveSizes() {
        assertThatThrownBy(() -> new WindowedCounter(clock, 0, 60)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WindowedCounter(clock, 1000, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
