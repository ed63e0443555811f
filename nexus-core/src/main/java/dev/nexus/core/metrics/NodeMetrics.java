package dev.nexus.core.metrics;

import java.time.Clock;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live figures behind {@code GET /state}: events accepted, their rate over the last minute, errors returned
 * over the last hour, and publish→delivery latency over the last minute. Thread-safe; cheap to record.
 */
public final class NodeMetrics {
    private final LongAdder eventsTotal = new LongAdder();
    private final WindowedCounter eventsLastMinute;
    private final WindowedCounter errorsLastHour;
    private final LongAdder errorsTotal = new LongAdder();
    private final LatencyWindow latency = new LatencyWindow(60);

    public NodeMetrics(Clock clock) {
        this.eventsLastMinute = new WindowedCounter(clock, 1_000, 60);
        this.errorsLastHour = new WindowedCounter(clock, 60_000, 60);
    }

    public void eventAccepted() {
        eventsTotal.increment();
        eventsLastMinute.add(1);
    }

    /** An error returned to a client (HTTP error response or WebSocket error frame). */
    public void errorReturned() {
        errorsTotal.increment();
        errorsLastHour.add(1);
    }

    /** One event written to one subscriber, {@code nanos} after the bus accepted it. */
    public void delivered(long nanos) {
        latency.record(nanos);
    }

    /** Called every second by the node's maintenance timer. */
    public void rotate() {
        latency.rotate();
    }

    public long eventsTotal() {
        return eventsTotal.sum();
    }

    public double eventsPerSecond() {
        return eventsLastMinute.sum() * 1000.0 / eventsLastMinute.windowMillis();
    }

    public long errorsLastHour() {
        return errorsLastHour.sum();
    }

    public long errorsTotal() {
        return errorsTotal.sum();
    }

    public LatencyWindow.LatencySnapshot latency() {
        return latency.snapshot();
    }
}
