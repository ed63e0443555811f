package dev.nexus.core.memory;

import dev.nexus.core.EventIds;
import dev.nexus.core.spi.EventLog;
import dev.nexus.core.spi.HistoryQuery;
import dev.nexus.core.spi.LogPosition;
import dev.nexus.protocol.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An event log in memory: the last {@code maxEvents} events, none older than {@code retention}. Appends are
 * "durable" at once (there is nothing more to wait for) and lost on restart; the epoch is new at every start.
 */
public final class MemoryEventLog implements EventLog {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final int maxEvents;
    private final Duration retention;
    private final Clock clock;
    private final String epoch = EventIds.randomToken();
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private long lastSeq;

    /**
     * @param maxEvents most events kept, at least 1
     * @param retention how long an event is kept, positive
     */
    public MemoryEventLog(int maxEvents, Duration retention, Clock clock) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("history size must be positive: " + maxEvents);
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("history retention must be positive: " + retention);
        }
        this.maxEvents = maxEvents;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public synchronized Appended append(Event event) {
        lastSeq++;
        Event stored = event.seq() == lastSeq ? event : event.withSeq(lastSeq);
        events.addLast(stored);
        while (events.size() > maxEvents) {
            events.removeFirst();
        }
        return new Appended(new LogPosition(lastSeq, epoch), DONE);
    }

    @Override
    public synchronized List<Event> read(HistoryQuery query) {
        Instant now = clock.instant();
        Instant oldest = now.minus(retention);
        if (query.afterSeq() == null && query.since() == null) {
            List<Event> newestFirst = new ArrayList<>();
            for (Iterator<Event> it = events.descendingIterator(); it.hasNext() && newestFirst.size() < query.limit(); ) {
                Event event = it.next();
                if (event.timestamp().isBefore(oldest)) {
                    break;
                }
                if (matches(event, query, now)) {
                    newestFirst.add(event);
                }
            }
            Collections.reverse(newestFirst);
            return newestFirst;
        }
        Instant from = query.since() == null || query.since().isBefore(oldest) ? oldest : query.since();
        long afterSeq = query.afterSeq() == null ? 0 : query.afterSeq();
        List<Event> result = new ArrayList<>();
        for (Event event : events) {
            if (result.size() >= query.limit()) {
                break;
            }
            if (event.seq() > afterSeq && !event.timestamp().isBefore(from) && matches(event, query, now)) {
                result.add(event);
            }
        }
        return result;
    }

    @Override
    public synchronized LogPosition head() {
        return new LogPosition(lastSeq, epoch);
    }

    @Override
    public synchronized long firstSeq() {
        return events.isEmpty() ? lastSeq + 1 : events.peekFirst().seq();
    }

    @Override
    public synchronized long size() {
        return events.size();
    }

    @Override
    public synchronized void prune(Instant now) {
        Instant oldest = now.minus(retention);
        while (!events.isEmpty() && events.peekFirst().timestamp().isBefore(oldest)) {
            events.removeFirst();
        }
    }

    @Override
    public String failure() {
        return null;
    }

    @Override
    public void close() {
    }

    private static boolean matches(Event event, HistoryQuery query, Instant now) {
        return (query.includeDirect() || !event.isDirect())
                && (event.ttl() == null || event.timestamp().plusSeconds(event.ttl()).isAfter(now))
                && (query.pattern() == null || query.pattern().matches(event.eventType()));
    }
}
