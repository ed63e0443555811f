package dev.nexus.bench.scenario;

import dev.nexus.bench.system.PubSub.Publisher;
import dev.nexus.bench.target.CpuMeter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes as fast as the system delivers, the same way for every system: one driver thread sends round-robin
 * over the publishers while fewer than {@code windowDeliveries} deliveries are outstanding (sent × deliveries per
 * publish − delivered), so no system is measured by how much it can buffer or drop. Counters are read at the end of
 * the warm-up and at the end of the measured interval.
 */
final class WindowedPublishing {
    /** Counts over the measured interval. */
    record Measured(long delivered, long accepted, long errors, CpuMeter.Usage cpu) {
        double perSecond(long count) {
            return count / cpu.seconds();
        }
    }

    private final List<Publisher> publishers;
    private final List<String> topics;
    private final byte[] payload;
    private final LongAdder delivered;
    private final int deliveriesPerPublish;
    private final long windowDeliveries;
    private volatile boolean stop;

    /**
     * @param topics the topic each publisher publishes to, index for index
     * @param delivered the deliveries counter the subscribers' inboxes increment
     */
    WindowedPublishing(List<Publisher> publishers, List<String> topics, byte[] payload, LongAdder delivered,
            int deliveriesPerPublish, long windowDeliveries) {
        this.publishers = publishers;
        this.topics = topics;
        this.payload = payload;
        this.delivered = delivered;
        this.deliveriesPerPublish = deliveriesPerPublish;
        this.windowDeliveries = windowDeliveries;
    }

    Measured run(Duration warmup, Duration duration, CpuMeter cpu) throws InterruptedException {
        Thread driver = Thread.ofPlatform().name("bench-driver").daemon().start(this::drive);
        try {
            Thread.sleep(warmup.toMillis());
            long delivered0 = delivered.sum();
            long accepted0 = accepted();
            long errors0 = errors();
            cpu.start();
            Thread.sleep(duration.toMillis());
            long delivered1 = delivered.sum();
            long accepted1 = accepted();
            long errors1 = errors();
            CpuMeter.Usage usage = cpu.stop();
            return new Measured(delivered1 - delivered0, accepted1 - accepted0, errors1 - errors0, usage);
        } finally {
            stop = true;
            driver.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private void drive() {
        long sent = 0;
        int next = 0;
        int idle = 0;
        while (!stop) {
            if (sent * deliveriesPerPublish - delivered.sum() >= windowDeliveries) {
                if (++idle < 64) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(20_000);
                }
                continue;
            }
            idle = 0;
            publishers.get(next).publish(topics.get(next), payload);
            sent++;
            next = next + 1 == publishers.size() ? 0 : next + 1;
        }
    }

    private long accepted() {
        return publishers.stream().mapToLong(Publisher::accepted).sum();
    }

    private long errors() {
        return publishers.stream().mapToLong(Publisher::errors).sum();
    }
}
