package dev.nexus.bench.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.bench.system.Payload;
import dev.nexus.bench.system.PubSub;
import dev.nexus.bench.target.CpuMeter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code latency}: an open loop at a fixed rate, without coordinated omission. Event i is due at
 * {@code start + i / rate}; it carries its due time in the payload, the publisher sends it when due (and late
 * events immediately, never skipping), and every subscriber records {@code receive time − due time} in an
 * HdrHistogram. A stall of the server or of the generator therefore shows as latency, never as a lower rate.
 * Publisher and subscribers share this process, so one monotonic clock serves both.
 */
public final class LatencyScenario {
    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long DRAIN_SECONDS = 10;

    public record Settings(RunOptions run, int subscribers, int rate, String store, String durability) {
        public Settings {
            if (subscribers < 1 || rate < 1) {
                throw new IllegalArgumentException("subscribers and rate must be at least 1: " + subscribers + ", " + rate);
            }
        }
    }

    private final Settings settings;

    public LatencyScenario(Settings settings) {
        this.settings = settings;
    }

    public Report run() throws Exception {
        SideBySide.Figures figures = SideBySide.run(settings.run(), ServeOptions.forStore(settings.store(), settings.durability()), this::measure);
        ObjectNode nexus = figures.nexus();
        ObjectNode peer = figures.peer();
        ObjectNode summary = Report.summary("latency").put("rate", settings.rate()).put("subscribers", settings.subscribers())
                .put("payload_bytes", settings.run().payloadBytes()).put("store", settings.store())
                .put("durability", settings.durability()).put("seconds", settings.run().duration().toSeconds());
        Double ratio = Report.compare(summary, nexus, peer, "p99_ms");
        String title = String.format(Locale.ROOT, "latency: %d events/s offered -> %d subscribers, %d B payload, %s store (%s), %d s measured after %d s warm-up",
                settings.rate(), settings.subscribers(), settings.run().payloadBytes(), settings.store(), settings.durability(),
                settings.run().duration().toSeconds(), settings.run().warmup().toSeconds());
        return new Report(Report.sideBySide(title, nexus, peer, "p99_ms", ratio), summary);
    }

    /**
     * Waits until {@code due} by parking; the kernel wakes the thread up to its timer slack (about 50 µs) late.
     * Neither spinning nor yielding through the last stretch: on a small machine a spin takes a core from the
     * server, and a thread that yields to busy event loops can wait a whole time slice to run again, which made
     * the publisher itself late by milliseconds (docs/benchmarks.md, step 39). Lateness is not lost either way:
     * latency is measured from {@code due}, for every system alike.
     */
    private static void awaitDue(long due) {
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private ObjectNode measure(PubSub system, CpuMeter cpu) throws Exception {
        String topic = "bench.latency." + Long.toHexString(System.nanoTime());
        Recorder recorder = new Recorder(HIGHEST_NANOS, 3);
        AtomicLong received = new AtomicLong();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        long measureFrom = start + settings.run().warmup().toNanos();
        long end = measureFrom + settings.run().duration().toNanos();
        for (int i = 0; i < settings.subscribers(); i++) {
            system.subscribe(topic, (now, message) -> {
                long due = Payload.due(message);
                if (due >= measureFrom && due < end) {
                    recorder.recordValue(Math.min(Math.max(0, now - due), HIGHEST_NANOS));
                    received.incrementAndGet();
                }
            });
        }
        // how late the publisher itself sends (its thread woken late, or behind): part of every system's latency,
        // reported beside it so that a tail of the load generator's own is not read as the server's
        Histogram publisherLateness = new Histogram(HIGHEST_NANOS, 3);
        PubSub.Publisher publisher = system.publisher();
        long interval = 1_000_000_000L / settings.rate();
        Payload.DueWriter payloads = new Payload.DueWriter(settings.run().payloadBytes());
        long measuredSent = 0;
        boolean measuring = false;
        for (long i = 0; ; i++) {
            long due = start + i * interval;
            if (due >= end) {
                break;
            }
            if (!measuring && due >= measureFrom) {
                measuring = true;
                cpu.start();
            }
            awaitDue(due);
            if (measuring) {
                publisherLateness.recordValue(Math.min(System.nanoTime() - due, HIGHEST_NANOS));
            }
            publisher.publish(topic, payloads.write(due));
            if (measuring) {
                measuredSent++;
            }
        }
        CpuMeter.Usage usage = cpu.stop();
        long expected = measuredSent * settings.subscribers();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        while (received.get() < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        Histogram latency = recorder.getIntervalHistogram();
        ObjectNode figures = Report.figures().put("system", system.name())
                .put("sent", measuredSent)
                .put("expected", expected)
                .put("received", received.get())
                .put("deliveries_per_s", Math.round(received.get() / usage.seconds()))
                .put("errors", publisher.errors())
                .put("subscribers_lost", system.subscribersLost())
                .put("complete", received.get() == expected);
        Percentiles.put(figures, "", latency);
        Percentiles.put(figures, "publisher_late_", publisherLateness);
        Report.putCpu(figures, usage);
        return figures;
    }
}
