package dev.nexus.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.core.memory.MemoryEventLog;
import dev.nexus.core.memory.MemoryLeaseStore;
import dev.nexus.core.memory.MemoryWorkQueueStore;
import dev.nexus.core.memory.MemoryPresenceStore;
import dev.nexus.core.spi.HistoryQuery;
import dev.nexus.core.spi.PresenceStore;
import dev.nexus.core.spi.SessionRecord;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.TopicPattern;
import dev.nexus.protocol.WireJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Node behaviour that depends on how concurrent calls interleave. */
class NodeConcurrencyTest {

    @Test
    void seqOrderIsTimeOrderUnderConcurrentPublishers() throws Exception {
        TickingClock clock = new TickingClock();
        int threads = 8;
        int perThread = 500;
        NodeOptions options = NodeOptions.defaults().withRateLimitPerMinute(0)
                .withHistory(threads * perThread + 100, Duration.ofDays(1)).withClock(clock);
        try (Node node = Node.start(options)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String session = "p" + t;
                    futures.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                            node.publish(PublishRequest.of("load.test", session, WireJson.mapper().createObjectNode())).join();
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : futures) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            List<Event> events = node.history(new HistoryQuery(null, TopicPattern.parse("load.test"), threads * perThread, false));
            assertThat(events).hasSize(threads * perThread);
            assertThat(events).extracting(Event::seq).isSorted().doesNotHaveDuplicates();
            assertThat(events).as("timestamps follow seq order").extracting(Event::timestamp).isSorted();
            assertThat(events).as("UUIDv7 time bits follow seq order")
                    .extracting(e -> UUID.fromString(e.eventId()).getMostSignificantBits() >>> 16).isSorted();
        }
    }

    @Test
    void closeOfTheOldConnectionRacingItsReplacementKeepsTheSessionOnline() {
        MutableClock clock = new MutableClock();
        HookedPresenceStore presenceStore = new HookedPresenceStore();
        NodeOptions options = NodeOptions.defaults().withClock(clock);
        NodeBackends backends = new NodeBackends(new MemoryEventLog(1000, Duration.ofHours(1), clock), presenceStore,
                new MemoryLeaseStore());
        try (Node node = Node.start(options, backends)) {
            RecordingSubscriber watcher = new RecordingSubscriber();
            node.connect("watcher", watcher).subscribe(List.of(TopicPattern.parse("session.*")));
            RecordingSubscriber oldSink = new RecordingSubscriber();
            SessionConnection old = node.connect("a", oldSink);
            watcher.clear();

            // the old transport closes its connection just as the replacement is being made current
            presenceStore.beforeNextUpdate.set(old::close);
            RecordingSubscriber newSink = new RecordingSubscriber();
            node.connect("a", newSink);

            assertThat(presenceStore.beforeNextUpdate.get()).as("the hook ran").isNull();
            assertThat(node.isConnected("a")).isTrue();
            assertThat(node.presence().get("a").map(SessionRecord::online)).contains(true);
            assertThat(watcher.events).as("neither session.disconnected nor session.connected").isEmpty();
            assertThat(newSink.disconnects).isEmpty();
            assertThat(oldSink.disconnects).containsExactly(ErrorCode.SESSION_REPLACED);
        }
    }

    /** A clock that moves forward one millisecond every time it is read. */
    private static final class TickingClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2025-11-17T07:00:00Z").toEpochMilli());

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.getAndIncrement());
        }

        @Override
        public long millis() {
            return millis.getAndIncrement();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** A memory presence store that can run a hook once, before its next update. */
    private static final class HookedPresenceStore implements PresenceStore {
        final AtomicReference<Runnable> beforeNextUpdate = new AtomicReference<>();
        private final MemoryPresenceStore delegate = new MemoryPresenceStore();

        @Override
        public SessionRecord update(String sessionId, UnaryOperator<SessionRecord> change) {
            Runnable hook = beforeNextUpdate.getAndSet(null);
            if (hook != null) {
                hook.run();
            }
            return delegate.update(sessionId, change);
        }

        @Override
        public Optional<SessionRecord> get(String sessionId) {
            return delegate.get(sessionId);
        }

        @Override
        public List<SessionRecord> list() {
            return delegate.list();
        }

        @Override
        public void forgetOfflineBefore(Instant cutoff) {
            delegate.forgetOfflineBefore(cutoff);
        }
    }
}
