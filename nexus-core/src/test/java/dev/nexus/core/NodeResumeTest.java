package dev.nexus.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.core.memory.MemoryEventLog;
import dev.nexus.core.memory.MemoryLeaseStore;
import dev.nexus.core.memory.MemoryWorkQueueStore;
import dev.nexus.core.memory.MemoryPresenceStore;
import dev.nexus.core.spi.EventLog;
import dev.nexus.core.spi.HistoryQuery;
import dev.nexus.core.spi.LogPosition;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.TopicPattern;
import dev.nexus.protocol.WireJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Resume merges the replay with live events that arrive while the log is being read: every event once, in order. */
class NodeResumeTest {
    private final CountDownLatch readMayProceed = new CountDownLatch(1);
    private final CountDownLatch readStarted = new CountDownLatch(1);
    private Node node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void liveEventsPublishedDuringTheReplayAreMergedWithoutGapOrDuplicate() throws Exception {
        MemoryEventLog memory = new MemoryEventLog(10_000, Duration.ofHours(1), new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
        NodeOptions options = NodeOptions.defaults().withRateLimitPerMinute(0);
        node = Node.start(options, new NodeBackends(new GatedLog(memory), new MemoryPresenceStore(), new MemoryLeaseStore()));
        RecordingSubscriber writerSink = new RecordingSubscriber();
        SessionConnection writer = node.connect("writer", writerSink);
        long[] seqs = new long[5];
        for (int i = 0; i < 5; i++) {
            seqs[i] = writer.publish(request(i)).get(5, TimeUnit.SECONDS).seq();
        }

        RecordingSubscriber readerSink = new RecordingSubscriber();
        SessionConnection reader = node.connect("reader", readerSink);
        var subscribed = reader.subscribe(List.of(TopicPattern.parse("feed.*")), new Resume(seqs[1], null));
        assertThat(readStarted.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 5; i < 8; i++) {
            writer.publish(request(i)).get(5, TimeUnit.SECONDS); // live while the replay is being read: held back
        }
        assertThat(readerSink.received()).as("nothing passes before the replay").isEmpty();
        readMayProceed.countDown();

        Subscribed result = subscribed.get(5, TimeUnit.SECONDS);
        assertThat(result.recovered()).isTrue();
        writer.publish(request(8)).get(5, TimeUnit.SECONDS);
        // the replay is handed over just after the subscribe completes, on the log reader's thread
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(readerSink.received().stream()
                .filter(e -> e.eventType().equals("feed.item"))
                .map(e -> e.payload().path("n").asInt()).toList()).containsExactly(2, 3, 4, 5, 6, 7, 8));
        List<Long> received = readerSink.received().stream().map(Event::seq).toList();
        assertThat(received).isSorted().doesNotHaveDuplicates();
    }

    private static PublishRequest request(int n) {
        return PublishRequest.of("feed.item", "writer", WireJson.mapper().createObjectNode().put("n", n));
    }

    /** A memory log whose seq-range reads wait for the test's go-ahead, to hold a replay open. */
    private final class GatedLog implements EventLog {
        private final EventLog delegate;

        GatedLog(EventLog delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<Event> read(HistoryQuery query) {
            if (query.afterSeq() != null) {
                readStarted.countDown();
                try {
                    readMayProceed.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.read(query);
        }

        @Override
        public String epoch() {
            return delegate.epoch();
        }

        @Override
        public Appended append(Event event) {
            return delegate.append(event);
        }

        @Override
        public LogPosition head() {
            return delegate.head();
        }

        @Override
        public long firstSeq() {
            return delegate.firstSeq();
        }

        @Override
        public long size() {
            return delegate.size();
        }

        @Override
        public void prune(Instant now) {
            delegate.prune(now);
        }

        @Override
        public String failure() {
            return delegate.failure();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
