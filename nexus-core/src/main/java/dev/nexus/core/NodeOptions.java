package dev.nexus.core;

import dev.nexus.core.work.WorkOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a node behaves. Use {@link #defaults()} and the {@code with…} methods; the compact constructor checks
 * every value.
 *
 * @param historySize most events kept in history (seed 000: 1000)
 * @param historyRetention how long an event stays in history (seed 000: 1 hour)
 * @param rateLimitPerMinute events a session may publish per minute; 0 turns the limit off
 * @param claimGrace how long a disconnected session keeps its claims
 * @param maxSubscriptionsPerConnection most patterns one connection may hold
 * @param sessionRetention how long an offline session's record is kept
 * @param dedupWindow how long an idempotency key is remembered
 * @param claimRestartGrace after a restart, how long holders of stored claims have to reconnect
 * @param clock the time source (a fake one in tests)
 * @param messaging inbox bound and capability routing
 * @param work leases, retry backoff and the queue bound of work coordination
 */
public record NodeOptions(
        int historySize,
        Duration historyRetention,
        int rateLimitPerMinute,
        Duration claimGrace,
        int maxSubscriptionsPerConnection,
        Duration sessionRetention,
        Duration dedupWindow,
        Duration claimRestartGrace,
        Clock clock,
        MessagingOptions messaging,
        WorkOptions work) {

    public NodeOptions {
        require(historySize > 0, "history size must be positive: %s", historySize);
        require(isPositive(historyRetention), "history retention must be positive: %s", historyRetention);
        require(rateLimitPerMinute >= 0, "rate limit must not be negative: %s", rateLimitPerMinute);
        require(claimGrace != null && !claimGrace.isNegative(), "claim grace must not be negative: %s", claimGrace);
        require(maxSubscriptionsPerConnection > 0, "max subscriptions must be positive: %s", maxSubscriptionsPerConnection);
        require(isPositive(sessionRetention), "session retention must be positive: %s", sessionRetention);
        require(isPositive(dedupWindow), "dedup window must be positive: %s", dedupWindow);
        require(claimRestartGrace != null && !claimRestartGrace.isNegative(), "claim restart grace must not be negative: %s", claimRestartGrace);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(messaging, "messaging");
        Objects.requireNonNull(work, "work");
    }

    public static NodeOptions defaults() {
        return new NodeOptions(1000, Duration.ofHours(1), 100, Duration.ofSeconds(5), 256, Duration.ofHours(1),
                Duration.ofMinutes(2), Duration.ofSeconds(30), Clock.systemUTC(), MessagingOptions.defaults(),
                WorkOptions.defaults());
    }

    public NodeOptions withHistory(int size, Duration retention) {
        return new NodeOptions(size, retention, rateLimitPerMinute, claimGrace, maxSubscriptionsPerConnection,
                sessionRetention, dedupWindow, claimRestartGrace, clock, messaging, work);
    }

    public NodeOptions withRateLimitPerMinute(int perMinute) {
        return new NodeOptions(historySize, historyRetention, perMinute, claimGrace, maxSubscriptionsPerConnection,
                sessionRetention, dedupWindow, claimRestartGrace, clock, messaging, work);
    }

    public NodeOptions withClaimGrace(Duration grace) {
        return new NodeOptions(historySize, historyRetention, rateLimitPerMinute, grace, maxSubscriptionsPerConnection,
                sessionRetention, dedupWindow, claimRestartGrace, clock, messaging, work);
    }

    public NodeOptions withMaxSubscriptionsPerConnection(int max) {
        return new NodeOptions(historySize, historyRetention, rateLimitPerMinute, claimGrace, max, sessionRetention,
                dedupWindow, claimRestartGrace, clock, messaging, work);
    }

    public NodeOptions withDedup(Duration window, Duration restartGrace) {
        return new NodeOptions(historySize, historyRetention, rateLimitPerMinute, claimGrace,
                maxSubscriptionsPerConnection, sessionRetention, window, restartGrace, clock, messaging, work);
    }

    public NodeOptions withClock(Clock newClock) {
        return new NodeOptions(historySize, historyRetention, rateLimitPerMinute, claimGrace,
                maxSubscriptionsPerConnection, sessionRetention, dedupWindow, claimRestartGrace, newClock, messaging,
                work);
    }

    public NodeOptions withMessaging(MessagingOptions newMessaging) {
        return new NodeOptions(historySize, historyRetention, rateLimitPerMinute, claimGrace,
                maxSubscriptionsPerConnection, sessionRetention, dedupWindow, claimRestartGrace, clock, newMessaging,
                work);
    }

    public NodeOptions withWork(WorkOptions newWork) {
        return new NodeOptions(historySize, historyRetention, rateLimitPerMinute, claimGrace,
                maxSubscriptionsPerConnection, sessionRetention, dedupWindow, claimRestartGrace, clock, messaging,
                newWork);
    }

    private static boolean isPositive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean condition, String message, Object value) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(message, value));
        }
    }
}
