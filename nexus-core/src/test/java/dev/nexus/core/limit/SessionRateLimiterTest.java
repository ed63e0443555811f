package dev.nexus.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionRateLimiterTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final SessionRateLimiter limiter = new SessionRateLimiter(100, nanos::get);

    @Test
    void allowsAFullMinuteBurstThenRefusesWithTheWaitForOneToken() {
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire("s1")).as("event %d", i + 1).isZero();
        }

        long wait = limiter.tryAcquire("s1");

        assertThat(wait).isCloseTo(Duration.ofMillis(600).toNanos(), within(Duration.ofMillis(1).toNanos()));
        assertThat(limiter.tryAcquire("s1")).as("a refusal takes no token").isEqualTo(wait);
    }

    @Test
    void refillsContinuouslyOverTime() {
        exhaust("s1");

        advance(Duration.ofMillis(300));
        assertThat(limiter.tryAcquire("s1")).isCloseTo(Duration.ofMillis(300).toNanos(), within(Duration.ofMillis(1).toNanos()));

        advance(Duration.ofMillis(300));
        assertThat(limiter.tryAcquire("s1")).isZero();
        assertThat(limiter.tryAcquire("s1")).isPositive();

        advance(Duration.ofSeconds(6));
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryAcquire("s1")).isZero();
        }
        assertThat(limiter.tryAcquire("s1")).isPositive();
    }

    @Test
    void refillIsCappedAtOneMinutesAllowance() {
        exhaust("s1");

        advance(Duration.ofMinutes(10));

        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire("s1")).isZero();
        }
        assertThat(limiter.tryAcquire("s1")).isPositive();
    }

    @Test
    void zeroDisablesTheLimit() {
        SessionRateLimiter off = new SessionRateLimiter(0, nanos::get);

        for (int i = 0; i < 10_000; i++) {
            assertThat(off.tryAcquire("s1")).isZero();
        }
        assertThat(off.enabled()).isFalse();
        assertThat(off.trackedSessions()).isZero();
        assertThat(limiter.enabled()).isTrue();
    }

    @Test
    void sessionsAreIndependent() {
        exhaust("s1");

        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire("s2")).isZero();
        }
        assertThat(limiter.tryAcquire("s2")).isPositive();
        assertThat(limiter.trackedSessions()).isEqualTo(2);
    }

    @Test
    void forgetsOnlyFullBuckets() {
        exhaust("s1");
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire("s2");     // 10 tokens short; a second refills fewer than 2
        }
        limiter.tryAcquire("s3");         // 1 token short; refilled within the second
        advance(Duration.ofSeconds(1));

        limiter.forgetFullBuckets();
        assertThat(limiter.trackedSessions()).isEqualTo(2);

        advance(Duration.ofMinutes(1));
        limiter.forgetFullBuckets();
        assertThat(limiter.trackedSessions()).isZero();
        assertThat(limiter.tryAcquire("s1")).isZero();
    }

    @Test
    void lowRatesWaitLonger() {
        SessionRateLimiter five = new SessionRateLimiter(5, nanos::get);
        for (int i = 0; i < 5; i++) {
            assertThat(five.tryAcquire("s1")).isZero();
        }

        assertThat(five.tryAcquire("s1")).isEqualTo(Duration.ofSeconds(12).toNanos());
    }

    @Test
    void negativeRateIsRejected() {
        assertThatThrownBy(() -> new SessionRateLimiter(-1, nanos::get)).isInstanceOf(IllegalArgumentException.class);
    }

    private void exhaust(String session) {
        for (int i = 0; i < 100; i++) {
            limiter.tryAcquire(session);
        }
        assertThat(limiter.tryAcquire(session)).isPositive();
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
