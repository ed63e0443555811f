package dev.nexus.bench.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/** Latency percentiles of a histogram recorded in nanoseconds, in milliseconds, as the summaries carry them. */
final class Percentiles {
    private Percentiles() {
    }

    /** Puts {@code <prefix>p50_ms}, {@code p99_ms}, {@code p99_9_ms} and {@code max_ms} into {@code figures}. */
    static ObjectNode put(ObjectNode figures, String prefix, Histogram nanos) {
        return figures.put(prefix + "p50_ms", ms(nanos.getValueAtPercentile(50)))
                .put(prefix + "p99_ms", ms(nanos.getValueAtPercentile(99)))
                .put(prefix + "p99_9_ms", ms(nanos.getValueAtPercentile(99.9)))
                .put(prefix + "max_ms", ms(nanos.getMaxValue()));
    }

    private static double ms(long nanos) {
        return Report.round(nanos / 1e6, 3);
    }
}
