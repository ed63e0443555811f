package dev.nexus.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.core.MutableClock;
import dev.nexus.core.spi.HistoryQuery;
import dev.nexus.core.spi.LogPosition;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.TopicPattern;
import dev.nexus.protocol.WireJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MemoryEventLogTest {
    private final MutableClock clock = new MutableClock();

    @Test
    void seqStartsAtOneAndIncreasesWithoutGaps() {
        MemoryEventLog log = new MemoryEventLog(1000, Duration.ofHours(1), clock);
        assertThat(log.head().seq()).isZero();

        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            seqs.add(log.append(event("a.b", 0)).position().seq());
        }

        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
        assertThat(log.head().seq()).isEqualTo(50);
        assertThat(read(log, null, null, 1000, false)).extracting(Event::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
    }

    @Test
    void storedEventCarriesTheAssignedSeqWhateverTheCallerGave() {
        MemoryEventLog log = new MemoryEventLog(10, Duration.ofHours(1), clock);

        LogPosition position = log.append(event("a", 999)).position();

        assertThat(position.seq()).isEqualTo(1);
        assertThat(read(log, null, null, 10, false)).singleElement().extracting(Event::seq).isEqualTo(1L);
    }

    @Test
    void countRetentionKeepsTheLastN() {
        MemoryEventLog log = new MemoryEventLog(10, Duration.ofHours(1), clock);
        for (int i = 0; i < 25; i++) {
            log.append(event("a", 0));
        }

        assertThat(log.size()).isEqualTo(10);
        assertThat(read(log, null, null, 100, false)).extracting(Event::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(16, 25).boxed().toList());
        assertThat(log.head().seq()).as("dropping old events never reuses a seq").isEqualTo(25);
        assertThat(log.append(event("a", 0)).position().seq()).isEqualTo(26);
    }

    @Test
    void ageRetentionHidesOldEventsAndPruneDropsThem() {
        MemoryEventLog log = new MemoryEventLog(100, Duration.ofMinutes(1), clock);
        log.append(event("a", 0));                        // t = 0
        clock.advance(Duration.ofSeconds(30));
        log.append(event("b", 0));                        // t = 30 s
        clock.advance(Duration.ofSeconds(45));           // now t = 75 s: the first is 75 s old

        assertThat(read(log, null, null, 100, false)).extracting(Event::eventType).containsExactly("b");
        assertThat(read(log, clock.instant().minus(Duration.ofHours(1)), null, 100, false))
                .as("since before the window does not reach behind it").extracting(Event::eventType).containsExactly("b");
        assertThat(log.size()).as("hidden, not yet pruned").isEqualTo(2);

        log.prune(clock.instant());
        assertThat(log.size()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1));
        assertThat(read(log, null, null, 100, false)).isEmpty();
        log.prune(clock.instant());
        assertThat(log.size()).isZero();
        assertThat(log.head().seq()).isEqualTo(2);
    }

    @Test
    void eventExactlyAtTheRetentionEdgeIsKept() {
        MemoryEventLog log = new MemoryEventLog(100, Duration.ofMinutes(1), clock);
        log.append(event("a", 0));
        clock.advance(Duration.ofMinutes(1));

        log.prune(clock.instant());

        assertThat(log.size()).isEqualTo(1);
        assertThat(read(log, null, null, 10, false)).hasSize(1);
    }

    @Test
    void withoutSinceReturnsTheMostRecentLimitInTimeOrder() {
        MemoryEventLog log = appendTen();

        assertThat(read(log, null, null, 3, false)).extracting(Event::seq).containsExactly(8L, 9L, 10L);
        assertThat(read(log, null, null, 1, false)).extracting(Event::seq).containsExactly(10L);
    }

    @Test
    void withSinceReturnsTheFirstLimitAtOrAfterSince() {
        MemoryEventLog log = appendTen(); // event n at start + (n - 1) seconds

        Instant atFourth = MutableClock.DEFAULT_START.plusSeconds(3);
        assertThat(read(log, atFourth, null, 3, false)).extracting(Event::seq).containsExactly(4L, 5L, 6L);
        assertThat(read(log, atFourth.plusMillis(1), null, 3, false)).extracting(Event::seq).containsExactly(5L, 6L, 7L);
        assertThat(read(log, atFourth, null, 100, false)).extracting(Event::seq)
                .containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(read(log, clock.instant().plusSeconds(1), null, 100, false)).isEmpty();
    }

    @Test
    void patternFilterAppliesBeforeTheLimit() {
        MemoryEventLog log = new MemoryEventLog(100, Duration.ofHours(1), clock);
        for (String type : List.of("work.claimed", "chat.message", "work.released", "chat.message", "work.completed.ok")) {
            log.append(event(type, 0));
        }

        TopicPattern work = TopicPattern.parse("work.>");
        assertThat(read(log, null, work, 100, false)).extracting(Event::eventType)
                .containsExactly("work.claimed", "work.released", "work.completed.ok");
        assertThat(read(log, null, TopicPattern.parse("work.*"), 1, false)).extracting(Event::eventType)
                .containsExactly("work.released");
        assertThat(read(log, MutableClock.DEFAULT_START, work, 2, false)).extracting(Event::seq).containsExactly(1L, 3L);
        assertThat(read(log, null, TopicPattern.parse("nothing.here"), 10, false)).isEmpty();
    }

    @Test
    void directEventsAreExcludedUnlessAskedFor() {
        MemoryEventLog log = new MemoryEventLog(100, Duration.ofHours(1), clock);
        log.append(event("chat.message", 0));
        log.append(direct("s2"));
        log.append(event("chat.message", 0));

        assertThat(read(log, null, null, 10, false)).extracting(Event::seq).containsExactly(1L, 3L);
        assertThat(read(log, null, null, 10, true)).extracting(Event::seq).containsExactly(1L, 2L, 3L);
        assertThat(read(log, MutableClock.DEFAULT_START, null, 10, false)).extracting(Event::seq).containsExactly(1L, 3L);
        assertThat(read(log, null, null, 2, false)).as("a hidden direct event does not use up the limit")
                .extracting(Event::seq).containsExactly(1L, 3L);
    }

    @Test
    void epochIsStableWithinALogAndDiffersBetweenLogs() {
        MemoryEventLog log = new MemoryEventLog(10, Duration.ofHours(1), clock);
        String epoch = log.head().epoch();

        assertThat(epoch).isNotBlank();
        assertThat(log.append(event("a", 0)).position().epoch()).isEqualTo(epoch);
        assertThat(log.append(event("a", 0)).position().epoch()).isEqualTo(epoch);
        assertThat(log.head()).isEqualTo(new LogPosition(2, epoch));
        assertThat(new MemoryEventLog(10, Duration.ofHours(1), clock).head().epoch()).isNotEqualTo(epoch);
    }

    @Test
    void constructorAndQueryValidation() {
        assertThatThrownBy(() -> new MemoryEventLog(0, Duration.ofHours(1), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("history size");
        assertThatThrownBy(() -> new MemoryEventLog(1, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention");
        assertThatThrownBy(() -> new HistoryQuery(null, null, 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    }

    private MemoryEventLog appendTen() {
        MemoryEventLog log = new MemoryEventLog(100, Duration.ofHours(1), clock);
        for (int i = 0; i < 10; i++) {
            log.append(event("a.b", 0));
            if (i < 9) {
                clock.advance(Duration.ofSeconds(1));
            }
        }
        return log;
    }

    private static List<Event> read(MemoryEventLog log, Instant since, TopicPattern pattern, int limit, boolean direct) {
        return log.read(new HistoryQuery(since, pattern, limit, direct));
    }

    private Event event(String type, long seq) {
        return new Event(UUID.randomUUID().toString(), seq, type, "s1", clock.instant(),
                WireJson.mapper().createObjectNode(), null, null, null, null, null, null, null);
    }

    private Event direct(String target) {
        return new Event(UUID.randomUUID().toString(), 0, "message.direct", "s1", clock.instant(),
                WireJson.mapper().createObjectNode(), target, null, null, null, null, null, null);
    }
}
