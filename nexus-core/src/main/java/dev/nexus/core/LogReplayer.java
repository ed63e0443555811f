package dev.nexus.core;

import dev.nexus.core.spi.EventLog;
import dev.nexus.core.spi.HistoryQuery;
import dev.nexus.core.spi.LogPosition;
import dev.nexus.protocol.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads ranges of the event log for those who missed them: resuming subscribers, and the node's own idempotency
 * window after a restart. Pages through the log {@value #PAGE} events at a time. Blocking (the log may be on
 * disk): call off event loops.
 */
final class LogReplayer {
    static final int PAGE = 1000;

    private final EventLog log;

    LogReplayer(EventLog log) {
        this.log = log;
    }

    /**
     * Every event after the client's position that {@code wanted} accepts, in seq order; or nothing, with the reason
     * the gap cannot be filled: {@code epoch_changed}, {@code unknown_position} (a seq the log never reached) or
     * {@code beyond_retention} (also when retention removed events while they were being read).
     */
    Replay replay(Resume resume, Predicate<Event> wanted) {
        LogPosition head = log.head();
        if (resume.epoch() != null && !resume.epoch().equals(head.epoch())) {
            return Replay.notRecovered("epoch_changed", head);
        }
        if (resume.seq() > head.seq()) {
            return Replay.notRecovered("unknown_position", head);
        }
        if (resume.seq() < log.firstSeq() - 1) {
            return Replay.notRecovered("beyond_retention", head);
        }
        List<EncodedEvent> events = new ArrayList<>();
        forEachAfter(resume.seq(), event -> {
            if (wanted.test(event)) {
                events.add(EncodedEvent.of(event, System.nanoTime()));
            }
        });
        if (resume.seq() < log.firstSeq() - 1) {
            return Replay.notRecovered("beyond_retention", head);
        }
        return new Replay(true, null, events, head.seq(), head.epoch());
    }

    /** Every retained event with a seq above {@code afterSeq}, direct messages included, in seq order. */
    void forEachAfter(long afterSeq, Consumer<Event> action) {
        long after = afterSeq;
        while (true) {
            List<Event> page = log.read(HistoryQuery.afterSeq(after, null, PAGE, true));
            for (Event event : page) {
                action.accept(event);
                after = event.seq();
            }
            if (page.size() < PAGE) {
                return;
            }
        }
    }
}
