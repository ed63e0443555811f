package dev.nexus.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.TopicPattern;
import dev.nexus.protocol.WireJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link EventLog} contract, run against every implementation: subclass it and say how to open a new, empty
 * log of a store of its own. Time is a {@link ContractClock}; events are stamped with it.
 */
public abstract class EventLogContractTest {
    protected static final Duration LONG_AGO = Duration.ofHours(1);

    protected final ContractClock clock = new ContractClock();
    private final List<EventLog> opened = new ArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();

    /**
     * A new, empty log in a store of its own (so with a new epoch).
     *
     * @param maxEvents most events kept
     * @param maxAge how long events are kept
     */
    protected abstract EventLog newLog(int maxEvents, Duration maxAge, Clock clock);

    protected final EventLog open(int maxEvents, Duration maxAge) {
        EventLog log = newLog(maxEvents, maxAge, clock);
        opened.add(log);
        return log;
    }

    protected final EventLog open() {
        return open(100_000, LONG_AGO);
    }

    @AfterEach
    void closeLogs() {
        opened.forEach(EventLog::close);
    }

    @Test
    void anEmptyLogIsAtSeqZeroAndReadsNothing() {
        EventLog log = open();

        assertThat(log.head()).isEqualTo(new LogPosition(0, log.epoch()));
        assertThat(log.firstSeq()).isEqualTo(1);
        assertThat(log.size()).isZero();
        assertThat(log.read(HistoryQuery.afterSeq(0, null, 10, true))).isEmpty();
        assertThat(log.read(new HistoryQuery(null, null, 10, true))).isEmpty();
        assertThat(log.read(new HistoryQuery(clock.instant().minusSeconds(5), null, 10, true))).isEmpty();
        assertThat(log.failure()).isNull();
    }

    @Test
    void seqsStartAtOneAndIncreaseByOneWithoutGaps() {
        EventLog log = open();
        List<CompletableFuture<Void>> durable = new ArrayList<>();

        for (int i = 1; i <= 50; i++) {
            EventLog.Appended appended = log.append(event("orders.created"));
            assertThat(appended.position()).isEqualTo(new LogPosition(i, log.epoch()));
            durable.add(appended.durable());
        }
        join(durable);

        assertThat(log.head()).isEqualTo(new LogPosition(50, log.epoch()));
        assertThat(seqs(log.read(HistoryQuery.afterSeq(0, null, 1_000, true)))).isEqualTo(range(1, 50));
        assertThat(log.size()).isEqualTo(50);
        assertThat(log.firstSeq()).isEqualTo(1);
    }

    @Test
    void anEventEncodedWithTheNextSeqIsStoredAsEncodedAndReadsBackEqual() {
        EventLog log = open();
        appendDurably(log, event("orders.created"));
        Event next = event("orders.shipped").withSeq(2);

        EventLog.Appended appended = log.append(dev.nexus.core.EncodedEvent.of(next, 0));
        appended.durable().join();

        assertThat(appended.position().seq()).isEqualTo(2);
        assertThat(log.read(HistoryQuery.afterSeq(1, null, 10, true))).containsExactly(next);
    }

    @Test
    void anEncodedEventWithAnotherSeqIsRefusedAndNothingIsStored() {
        EventLog log = open();
        appendDurably(log, event("orders.created"));

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> log.append(dev.nexus.core.EncodedEvent.of(event("orders.shipped").withSeq(5), 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("next seq 2");
        assertThat(log.head().seq()).isEqualTo(1);
        assertThat(appendDurably(log, event("orders.paid"))).as("no seq was used").isEqualTo(2);
    }

    @Test
    void theGivenSeqIsIgnoredAndTheStoredEventCarriesTheAssignedOne() {
        EventLog log = open();
        Event given = event("orders.created").withSeq(999);

        long seq = appendDurably(log, given);

        assertThat(seq).isEqualTo(1);
        assertThat(log.read(HistoryQuery.afterSeq(0, null, 10, true))).containsExactly(given.withSeq(1));
    }

    @Test
    void storedEventsComeBackEqualWithEveryField() {
        EventLog log = open();
        ObjectNode payload = WireJson.mapper().createObjectNode().put("text", "héllo \"world\"").put("n", 42);
        payload.putObject("nested").putArray("list").add(1).add("two").addNull();
        Event full = new Event(UUID.randomUUID().toString(), 0, "chat.message", "alice", now(), payload, "bob",
                "corr-1", "cause-1", 0, 3_600, List.of("x", "y"), "key-1");
        Event bare = event("chat.message");

        appendDurably(log, full);
        appendDurably(log, bare);

        assertThat(log.read(HistoryQuery.afterSeq(0, null, 10, true))).containsExactly(full.withSeq(1), bare.withSeq(2));
    }

    @Test
    void durableStagesCompleteInSeqOrder() throws Exception {
        EventLog log = open();
        List<Long> completed = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> chained = new ArrayList<>();

        for (int i = 0; i < 3_000; i++) {
            EventLog.Appended appended = log.append(event("orders.created"));
            long seq = appended.position().seq();
            chained.add(appended.durable().thenRun(() -> completed.add(seq)));
        }
        CompletableFuture.allOf(chained.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(completed).isEqualTo(range(1, 3_000));
    }

    @Test
    void readersWhileAppendingSeeAContiguousPrefixNeverAGap() throws Exception {
        EventLog log = open();
        int total = 3_000;
        AtomicReference<CompletableFuture<Void>> last = new AtomicReference<>();
        Thread appender = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                last.set(log.append(event("orders.created")).durable());
            }
        });

        appender.start();
        do {
            List<Long> seen = seqs(log.read(HistoryQuery.afterSeq(0, null, total, true)));
            assertThat(seen).isEqualTo(range(1, seen.size()));
        } while (appender.isAlive());
        appender.join();
        last.get().get(30, TimeUnit.SECONDS);

        assertThat(seqs(log.read(HistoryQuery.afterSeq(0, null, total, true)))).isEqualTo(range(1, total));
    }

    @Test
    void afterSeqPagesThroughTheLogInSeqOrder() {
        EventLog log = open();
        appendDurably(log, 250, "orders.created");

        List<Long> paged = new ArrayList<>();
        long after = 0;
        List<Integer> pageSizes = new ArrayList<>();
        while (true) {
            List<Event> page = log.read(HistoryQuery.afterSeq(after, null, 100, true));
            pageSizes.add(page.size());
            if (page.isEmpty()) {
                break;
            }
            paged.addAll(seqs(page));
            after = page.getLast().seq();
        }

        assertThat(pageSizes).containsExactly(100, 100, 50, 0);
        assertThat(paged).isEqualTo(range(1, 250));
    }

    @Test
    void sinceReturnsTheFirstEventsAtOrAfterTheInstant() {
        EventLog log = open();
        List<Instant> stamps = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Event event = event("orders.created");
            stamps.add(event.timestamp());
            appendDurably(log, event);
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(seqs(log.read(new HistoryQuery(stamps.get(4), null, 3, true)))).containsExactly(5L, 6L, 7L);
        assertThat(seqs(log.read(new HistoryQuery(stamps.get(4).plusMillis(1), null, 100, true))))
                .isEqualTo(range(6, 10));
        assertThat(log.read(new HistoryQuery(clock.instant(), null, 10, true))).isEmpty();
    }

    @Test
    void withoutAPositionTheMostRecentEventsComeInSeqOrder() {
        EventLog log = open();
        appendDurably(log, 20, "orders.created");

        assertThat(seqs(log.read(new HistoryQuery(null, null, 5, true)))).isEqualTo(range(16, 20));
        assertThat(seqs(log.read(new HistoryQuery(null, null, 500, true)))).isEqualTo(range(1, 20));
    }

    @Test
    void aPatternFiltersAndTheLimitCountsOnlyMatches() {
        EventLog log = open();
        Instant start = now();
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (int i = 1; i <= 1_000; i++) {
            String type = i % 50 == 0 ? "orders.created" : i % 50 == 25 ? "orders.created.v2" : "audit.log";
            durable.add(log.append(event(type)).durable());
        }
        join(durable);
        TopicPattern exactlyTwo = TopicPattern.parse("orders.*");
        TopicPattern wildFirst = TopicPattern.parse("*.created");
        TopicPattern rest = TopicPattern.parse("orders.>");

        assertThat(seqs(log.read(HistoryQuery.afterSeq(0, exactlyTwo, 15, true)))).isEqualTo(every(50, 50, 15));
        assertThat(seqs(log.read(HistoryQuery.afterSeq(0, wildFirst, 15, true)))).isEqualTo(every(50, 50, 15));
        assertThat(seqs(log.read(HistoryQuery.afterSeq(500, wildFirst, 100, true)))).isEqualTo(every(550, 50, 10));
        assertThat(seqs(log.read(new HistoryQuery(null, wildFirst, 5, true)))).isEqualTo(every(800, 50, 5));
        assertThat(seqs(log.read(new HistoryQuery(start, rest, 3, true)))).containsExactly(25L, 50L, 75L);
        assertThat(seqs(log.read(HistoryQuery.afterSeq(0, TopicPattern.parse("orders.created"), 100, true))))
                .isEqualTo(every(50, 50, 20));
        assertThat(log.read(HistoryQuery.afterSeq(0, TopicPattern.parse(">"), 2_000, true))).hasSize(1_000);
        assertThat(log.read(HistoryQuery.afterSeq(0, TopicPattern.parse("billing.*"), 10, true))).isEmpty();
    }

    @Test
    void directMessagesAreReadOnlyWhenIncluded() {
        EventLog log = open();
        appendDurably(log, event("message.direct"));
        appendDurably(log, direct("message.direct", "bob"));
        appendDurably(log, event("message.direct"));

        assertThat(seqs(log.read(HistoryQuery.afterSeq(0, null, 10, false)))).containsExactly(1L, 3L);
        assertThat(seqs(log.read(HistoryQuery.afterSeq(0, null, 10, true)))).containsExactly(1L, 2L, 3L);
        assertThat(seqs(log.read(new HistoryQuery(null, null, 2, false)))).containsExactly(1L, 3L);
        assertThat(seqs(log.read(new HistoryQuery(null, null, 2, true)))).containsExactly(2L, 3L);
        assertThat(log.read(HistoryQuery.afterSeq(0, null, 10, true)).get(1).targetSessionId()).isEqualTo("bob");
    }

    @Test
    void retentionByCountKeepsTheNewestEvents() {
        EventLog log = open(10, LONG_AGO);
        appendDurably(log, 25, "orders.created");

        log.prune(clock.instant());

        assertThat(log.size()).isEqualTo(10);
        assertThat(log.firstSeq()).isEqualTo(16);
        assertThat(log.head().seq()).isEqualTo(25);
        assertThat(seqs(log.read(HistoryQuery.afterSeq(0, null, 100, true)))).isEqualTo(range(16, 25));
        assertThat(seqs(log.read(new HistoryQuery(null, null, 100, true)))).isEqualTo(range(16, 25));
    }

    @Test
    void eventsPastTheAgeLimitAreNeverReadAndPruningDropsThem() {
        EventLog log = open(1_000, Duration.ofMinutes(1));
        Instant start = now();
        appendDurably(log, 5, "orders.created");
        clock.advance(Duration.ofMinutes(2));
        appendDurably(log, 3, "orders.created");

        assertThat(seqs(log.read(HistoryQuery.afterSeq(0, null, 100, true)))).isEqualTo(range(6, 8));
        assertThat(seqs(log.read(new HistoryQuery(null, null, 100, true)))).isEqualTo(range(6, 8));
        assertThat(seqs(log.read(new HistoryQuery(start, null, 100, true)))).isEqualTo(range(6, 8));

        log.prune(clock.instant());

        assertThat(log.size()).isEqualTo(3);
        assertThat(log.firstSeq()).isEqualTo(6);
        assertThat(log.head().seq()).isEqualTo(8);
    }

    @Test
    void whenEverythingIsPrunedFirstSeqIsHeadPlusOneAndSeqsContinue() {
        EventLog log = open(1_000, Duration.ofMinutes(1));
        appendDurably(log, 4, "orders.created");
        clock.advance(Duration.ofMinutes(2));

        log.prune(clock.instant());

        assertThat(log.size()).isZero();
        assertThat(log.firstSeq()).isEqualTo(5);
        assertThat(log.head().seq()).isEqualTo(4);
        assertThat(appendDurably(log, event("orders.created"))).isEqualTo(5);
        assertThat(log.firstSeq()).isEqualTo(5);
        assertThat(seqs(log.read(HistoryQuery.afterSeq(0, null, 10, true)))).containsExactly(5L);
    }

    @Test
    void anEventWhoseTtlRanOutIsNotRead() {
        EventLog log = open();
        appendDurably(log, withTtl(event("cache.entry"), 10));
        appendDurably(log, event("cache.entry"));
        appendDurably(log, withTtl(event("cache.entry"), 60));
        clock.advance(Duration.ofSeconds(11));

        assertThat(seqs(log.read(HistoryQuery.afterSeq(0, null, 10, true)))).containsExactly(2L, 3L);
        assertThat(seqs(log.read(new HistoryQuery(null, null, 10, true)))).containsExactly(2L, 3L);
        clock.advance(Duration.ofSeconds(50));
        assertThat(seqs(log.read(HistoryQuery.afterSeq(0, null, 10, true)))).containsExactly(2L);
    }

    @Test
    void theEpochIsStableForALogAndNewForEachNewStore() {
        EventLog log = open();
        String epoch = log.epoch();
        EventLog.Appended appended = log.append(event("orders.created"));
        appended.durable().join();

        assertThat(epoch).isNotBlank();
        assertThat(log.epoch()).isEqualTo(epoch);
        assertThat(appended.position().epoch()).isEqualTo(epoch);
        assertThat(log.head().epoch()).isEqualTo(epoch);
        assertThat(open().epoch()).isNotEqualTo(epoch);
    }

    @Test
    void closeIsIdempotent() {
        EventLog log = open();
        appendDurably(log, 3, "orders.created");

        log.close();
        log.close();
    }

    // ---- helpers for subclasses and the tests above

    protected final Instant now() {
        return clock.instant();
    }

    protected final Event event(String type) {
        return new Event(UUID.randomUUID().toString(), 0, type, "alice", now(),
                WireJson.mapper().createObjectNode().put("n", counter.incrementAndGet()),
                null, null, null, null, null, null, null);
    }

    protected final Event direct(String type, String target) {
        Event e = event(type);
        return new Event(e.eventId(), 0, type, e.sessionId(), e.timestamp(), e.payload(), target, null, null, null,
                null, null, null);
    }

    protected static Event withTtl(Event e, int ttlSeconds) {
        return new Event(e.eventId(), e.seq(), e.eventType(), e.sessionId(), e.timestamp(), e.payload(),
                e.targetSessionId(), e.correlationId(), e.causationId(), e.priority(), ttlSeconds, e.tags(),
                e.idempotencyKey());
    }

    /** Appends and waits until the log says the event is durable; returns its seq. */
    protected static long appendDurably(EventLog log, Event event) {
        EventLog.Appended appended = log.append(event);
        appended.durable().join();
        return appended.position().seq();
    }

    protected final void appendDurably(EventLog log, int count, String type) {
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            durable.add(log.append(event(type)).durable());
        }
        join(durable);
    }

    protected static void join(List<CompletableFuture<Void>> futures) {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    }

    protected static List<Long> seqs(List<Event> events) {
        return events.stream().map(Event::seq).toList();
    }

    protected static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    private static List<Long> every(long first, long step, int count) {
        return LongStream.iterate(first, s -> s + step).limit(count).boxed().toList();
    }
}
