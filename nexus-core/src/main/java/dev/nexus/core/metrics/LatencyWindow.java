package dev.nexus.core.metrics;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Publish→delivery latencies of the last minute or so, in an HdrHistogram. Recording is wait-free from any
 * thread; {@link #rotate()} (called every second by the node's maintenance timer) moves the latest interval
 * into a short ring of intervals, and {@link #snapshot()} merges them.
 */
public final class LatencyWindow {
    private static final long MAX_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final Recorder recorder = new Recorder(MAX_TRACKABLE_NANOS, 3);
    private final ArrayDeque<Histogram> intervals = new ArrayDeque<>();
    private final int keptIntervals;
    private Histogram recycled;

    /** @param keptIntervals how many rotations the window spans (60 rotations of 1 s = one minute) */
    public LatencyWindow(int keptIntervals) {
        this.keptIntervals = keptIntervals;
    }

    public void record(long nanos) {
        recorder.recordValue(Math.min(Math.max(nanos, 0), MAX_TRACKABLE_NANOS));
    }

    public synchronized void rotate() {
        Histogram interval = recorder.getIntervalHistogram(recycled);
        recycled = null;
        intervals.addLast(interval);
        while (intervals.size() > keptIntervals) {
            recycled = intervals.removeFirst();
        }
    }

    /** Percentiles over the kept intervals (not including what was recorded since the last rotation). */
    public synchronized LatencySnapshot snapshot() {
        Histogram merged = new Histogram(MAX_TRACKABLE_NANOS, 3);
        for (Histogram interval : intervals) {
            merged.add(interval);
        }
        if (merged.getTotalCount() == 0) {
            return LatencySnapshot.EMPTY;
        }
        return new LatencySnapshot(merged.getTotalCount(), millis(merged.getValueAtPercentile(50)),
                millis(merged.getValueAtPercentile(99)), millis(merged.getValueAtPercentile(99.9)),
                millis(merged.getMaxValue()));
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    /** Latency percentiles in milliseconds (microsecond precision); count 0 when nothing was delivered. */
    public record LatencySnapshot(long count, double p50Millis, double p99Millis, double p999Millis, double maxMillis) {
        public static final LatencySnapshot EMPTY = new LatencySnapshot(0, 0, 0, 0, 0);
    }
}
