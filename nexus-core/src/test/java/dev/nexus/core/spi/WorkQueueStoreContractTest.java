package dev.nexus.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link WorkQueueStore} contract, run against every implementation: subclass it and say how to open a new,
 * empty store. A store that is {@link AutoCloseable} is closed after each test.
 */
public abstract class WorkQueueStoreContractTest {
    protected final ContractClock clock = new ContractClock();
    protected WorkQueueStore store;

    /** A new, empty store of its own. */
    protected abstract WorkQueueStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Test
    void anInsertedItemIsReadBackWithEveryField() {
        Instant at = clock.instant().plusNanos(123_456_789);
        WorkItem item = new WorkItem("build-1", 7, "build the docs", List.of("python", "Docs"), 1, List.of("fetch-1"),
                5, "planner", at, WorkStatus.PENDING, at.plusSeconds(4),
                List.of(new WorkAttempt("w1", 41, at, at.plusSeconds(2), "failed", "disk full"),
                        new WorkAttempt("w2", 44, at.plusSeconds(3), at.plusSeconds(9), "expired", null)),
                null);

        assertThat(store.insert(item)).isTrue();

        assertThat(store.get("build-1")).contains(item);
        assertThat(store.list()).containsExactly(item);
    }

    @Test
    void aSecondInsertOfTheSameIdChangesNothing() {
        WorkItem first = item("job", 1, WorkStatus.PENDING);
        store.insert(first);

        assertThat(store.insert(item("job", 2, WorkStatus.CLAIMED))).isFalse();
        assertThat(store.get("job")).contains(first);
    }

    @Test
    void updateReplacesTheItemWithItsId() {
        store.insert(item("job", 1, WorkStatus.PENDING));
        WorkItem done = item("job", 1, WorkStatus.PENDING).afterAttempt(
                new WorkAttempt("w1", 3, clock.instant(), clock.instant().plusSeconds(1), "completed", null),
                WorkStatus.COMPLETED, null);

        store.update(done);

        assertThat(store.get("job")).contains(done);
        assertThat(done.finishedAt()).isNotNull();
    }

    @Test
    void updateOfAnUnknownItemIsRefused() {
        assertThatThrownBy(() -> store.update(item("ghost", 1, WorkStatus.PENDING)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ghost");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void listIsInSequenceOrderWhateverTheInsertOrder() {
        WorkItem c = item("c", 3, WorkStatus.PENDING);
        WorkItem a = item("a", 1, WorkStatus.DEAD);
        WorkItem b = item("b", 2, WorkStatus.COMPLETED);
        store.insert(c);
        store.insert(a);
        store.insert(b);

        assertThat(store.list()).containsExactly(a, b, c);
        assertThat(store.get("nothing")).isEmpty();
    }

    protected final WorkItem item(String id, long sequence, WorkStatus status) {
        clock.advance(Duration.ofMillis(1));
        return new WorkItem(id, sequence, null, List.of(), 2, List.of(), 3, "s1", clock.instant(), status, null,
                List.of(), null);
    }
}
