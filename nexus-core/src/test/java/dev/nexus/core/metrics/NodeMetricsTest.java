package dev.nexus.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nexus.core.MutableClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {
    private final MutableClock clock = new MutableClock();
    private final NodeMetrics metrics = new NodeMetrics(clock);

    @Test
    void eventsPerSecondIsTheRateOverTheLastMinute() {
        assertThat(metrics.eventsPerSecond()).isZero();
        for (int i = 0; i < 60; i++) {
            metrics.eventAccepted();
            metrics.eventAccepted();
            clock.advance(Duration.ofMillis(500));
        }

        assertThat(metrics.eventsPerSecond()).isCloseTo(2.0, within(1e-9));
        assertThat(metrics.eventsTotal()).isEqualTo(120);
    }

    @Test
    void rateDecaysAsBucketsExpireButTheTotalStays() {
        for (int i = 0; i < 120; i++) {
            metrics.eventAccepted();
        }
        assertThat(metrics.eventsPerSecond()).isCloseTo(2.0, within(1e-9));

        clock.advance(Duration.ofSeconds(61));

        assertThat(metrics.eventsPerSecond()).isZero();
        assertThat(metrics.eventsTotal()).isEqualTo(120);
    }

    @Test
    void errorsOverTheLastHour() {
        metrics.errorReturned();
        clock.advance(Duration.ofMinutes(30));
        metrics.errorReturned();
        metrics.errorReturned();
        assertThat(metrics.errorsLastHour()).isEqualTo(3);

        clock.advance(Duration.ofMinutes(31));
        assertThat(metrics.errorsLastHour()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(30));
        assertThat(metrics.errorsLastHour()).isZero();
        assertThat(metrics.errorsTotal()).isEqualTo(3);
    }

    @Test
    void latencyIsReportedAfterARotation() {
        assertThat(metrics.latency()).isEqualTo(LatencyWindow.LatencySnapshot.EMPTY);
        for (int i = 1; i <= 100; i++) {
            metrics.delivered(TimeUnit.MILLISECONDS.toNanos(i));
        }
        assertThat(metrics.latency().count()).as("not before the rotation").isZero();

        metrics.rotate();

        LatencyWindow.LatencySnapshot latency = metrics.latency();
        assertThat(latency.count()).isEqualTo(100);
        assertThat(latency.p50Millis()).isCloseTo(50.0, within(0.1));
        assertThat(latency.p99Millis()).isCloseTo(99.0, within(0.1));
        assertThat(latency.maxMillis()).isCloseTo(100.0, within(0.1));
    }

    @Test
    void latencyWindowForgetsOldIntervals() {
        LatencyWindow window = new LatencyWindow(2);
        window.record(TimeUnit.MILLISECONDS.toNanos(500));
        window.rotate();
        window.record(TimeUnit.MILLISECONDS.toNanos(1));
        window.rotate();
        assertThat(window.snapshot().count()).isEqualTo(2);
        assertThat(window.snapshot().maxMillis()).isCloseTo(500.0, within(0.5));

        window.rotate();

        assertThat(window.snapshot().count()).isEqualTo(1);
        assertThat(window.snapshot().maxMillis()).isCloseTo(1.0, within(0.01));
        window.rotate();
        assertThat(window.snapshot()).isEqualTo(LatencyWindow.LatencySnapshot.EMPTY);
    }
}
