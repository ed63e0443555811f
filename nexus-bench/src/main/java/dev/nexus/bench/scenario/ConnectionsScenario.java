package dev.nexus.bench.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.bench.system.NexusPubSub;
import dev.nexus.bench.system.Payload;
import dev.nexus.bench.system.PubSub;
import dev.nexus.bench.target.NexusTarget;
import dev.nexus.bench.target.ServerProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * {@code connections}: N idle sessions, each subscribed to one broadcast topic. Figures: the server's resident
 * memory per session (RSS after connecting minus RSS before, over N; only when the bench started the server), and
 * for a series of broadcasts, one at a time, the time from the publish to its arrival at the last of the N.
 */
public final class ConnectionsScenario {
    private static final int CONNECTS_IN_FLIGHT = 256;
    private static final long BROADCAST_TIMEOUT_SECONDS = 30;

    public record Settings(RunOptions run, int sessions, int broadcasts) {
        public Settings {
            if (sessions < 1 || broadcasts < 1) {
                throw new IllegalArgumentException("sessions and broadcasts must be at least 1: " + sessions + ", " + broadcasts);
            }
        }
    }

    private final Settings settings;

    public ConnectionsScenario(Settings settings) {
        this.settings = settings;
    }

    public Report run() throws Exception {
        ObjectNode nexus = Report.figures().put("sessions", settings.sessions());
        try (NexusTarget target = NexusTarget.of(settings.run().url(), ServeOptions.memory());
                NexusPubSub system = new NexusPubSub(target.url(), settings.run().clientThreads())) {
            long rssBefore = target.process().map(ServerProcess::rssBytes).orElse(0L);
            Report.putStart(nexus, target);
            String topic = "bench.broadcast." + Long.toHexString(System.nanoTime());
            AtomicReference<Broadcast> current = new AtomicReference<>();
            long connectStart = System.nanoTime();
            connectAll(system, topic, current);
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            nexus.put("connect_seconds", Report.round(connectSeconds, 2));
            if (target.process().isPresent()) {
                long rssAfter = target.process().get().rssBytes();
                nexus.put("server_rss_before_mib", Report.round(rssBefore / 1048576.0, 1))
                        .put("server_rss_after_mib", Report.round(rssAfter / 1048576.0, 1))
                        .put("server_rss_per_session_kib", Report.round((rssAfter - rssBefore) / 1024.0 / settings.sessions(), 2));
            }
            Histogram toAll = broadcast(system, topic, current, nexus);
            nexus.put("broadcasts", toAll.getTotalCount());
            Percentiles.put(nexus, "to_all_", toAll);
        }
        ObjectNode summary = Report.summary("connections").put("sessions", settings.sessions())
                .put("broadcasts", settings.broadcasts()).put("payload_bytes", settings.run().payloadBytes());
        summary.set("nexus", nexus);
        String title = String.format(Locale.ROOT, "connections: %d idle sessions, %d broadcasts one at a time",
                settings.sessions(), settings.broadcasts());
        return new Report(Report.sideBySide(title, nexus, null, null, null), summary);
    }

    private void connectAll(NexusPubSub system, String topic, AtomicReference<Broadcast> current) throws Exception {
        Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        PubSub.Inbox inbox = (now, message) -> {
            Broadcast broadcast = current.get();
            if (broadcast != null) {
                broadcast.arrived(now, Payload.due(message));
            }
        };
        for (int i = 0; i < settings.sessions(); i++) {
            inFlight.acquire();
            CompletableFuture<Void> subscribed = system.subscribeAllAsync(List.of(topic), inbox);
            subscribed.whenComplete((v, e) -> inFlight.release());
            all.add(subscribed);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
    }

    /**
     * Broadcasts, unmeasured, for the warm-up time (the delivery path is compiled by then, as in the other
     * scenarios), then the measured series; each broadcast waits for the last one to arrive everywhere.
     */
    private Histogram broadcast(NexusPubSub system, String topic, AtomicReference<Broadcast> current, ObjectNode nexus)
            throws Exception {
        PubSub.Publisher publisher = system.publisher();
        long warmupEnd = System.nanoTime() + settings.run().warmup().toNanos();
        int warmups = 0;
        while (System.nanoTime() < warmupEnd) {
            broadcastOnce(publisher, topic, current, warmups++);
        }
        nexus.put("warmup_broadcasts", warmups);
        Histogram toAll = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
        for (int b = 0; b < settings.broadcasts(); b++) {
            toAll.recordValue(Math.min(broadcastOnce(publisher, topic, current, b), toAll.getHighestTrackableValue()));
        }
        return toAll;
    }

    /** One broadcast; returns the nanoseconds from its publish to its arrival at the last session. */
    private long broadcastOnce(PubSub.Publisher publisher, String topic, AtomicReference<Broadcast> current, int b)
            throws Exception {
        long sent = System.nanoTime();
        Broadcast broadcast = new Broadcast(sent, settings.sessions());
        current.set(broadcast);
        publisher.publish(topic, Payload.withDue(sent, settings.run().payloadBytes()));
        if (!broadcast.done.await(BROADCAST_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("broadcast " + b + " reached " + (settings.sessions() - broadcast.done.getCount())
                    + " of " + settings.sessions() + " sessions in " + BROADCAST_TIMEOUT_SECONDS + " s");
        }
        return broadcast.last.get() - sent;
    }

    /** One broadcast in flight: counts arrivals of its own due time and keeps the latest arrival. */
    private static final class Broadcast {
        final long due;
        final CountDownLatch done;
        final AtomicLong last = new AtomicLong();

        Broadcast(long due, int sessions) {
            this.due = due;
            this.done = new CountDownLatch(sessions);
        }

        void arrived(long now, long messageDue) {
            if (messageDue == due) {
                last.accumulateAndGet(now, Math::max);
                done.countDown();
            }
        }
    }
}
