package dev.nexus.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.core.spi.InboxEntry.State;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link InboxStore} contract, run against every implementation: subclass it and say how to open a new,
 * empty store and how to open the same store again (as after a restart).
 */
public abstract class InboxStoreContractTest {
    private final List<InboxStore> opened = new ArrayList<>();

    /** A new, empty store of its own. */
    protected abstract InboxStore newStore();

    /**
     * The same store again, as a restarted server would see it; {@code store} is closed first when the
     * implementation keeps things outside the process. A store that keeps nothing across a restart returns
     * {@code store} itself.
     */
    protected abstract InboxStore reopen(InboxStore store);

    private InboxStore open() {
        InboxStore store = newStore();
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(InboxStore::close);
    }

    private static InboxEntry entry(String recipient, long seq, State state) {
        return new InboxEntry(recipient, seq, "event-" + seq, "sender-" + seq, "message.direct",
                ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8), state);
    }

    private static List<String> keys(List<InboxEntry> entries) {
        return entries.stream().map(e -> e.recipient() + "/" + e.seq() + "/" + e.state().wire()).toList();
    }

    @Test
    void aNewStoreIsEmpty() {
        assertThat(open().loadAll()).isEmpty();
    }

    @Test
    void loadsEntriesByRecipientThenSeqWithEveryField() {
        InboxStore store = open();
        store.save(List.of(entry("b", 7, State.PENDING), entry("a", 9, State.DELIVERED)));
        store.save(List.of(entry("a", 3, State.READ)));

        List<InboxEntry> all = store.loadAll();

        assertThat(keys(all)).containsExactly("a/3/read", "a/9/delivered", "b/7/pending");
        InboxEntry first = all.get(0);
        assertThat(first.eventId()).isEqualTo("event-3");
        assertThat(first.sender()).isEqualTo("sender-3");
        assertThat(first.eventType()).isEqualTo("message.direct");
        assertThat(new String(first.json(), StandardCharsets.UTF_8)).isEqualTo("{\"seq\":3}");
    }

    @Test
    void savingTheSameRecipientAndSeqReplacesTheState() {
        InboxStore store = open();
        store.save(List.of(entry("a", 1, State.PENDING)));
        store.save(List.of(entry("a", 1, State.DELIVERED)));
        store.save(List.of(entry("a", 1, State.READ)));

        assertThat(keys(store.loadAll())).containsExactly("a/1/read");
    }

    @Test
    void theSameSeqForTwoRecipientsIsTwoEntries() {
        InboxStore store = open();
        store.save(List.of(entry("a", 1, State.PENDING), entry("b", 1, State.PENDING)));

        assertThat(keys(store.loadAll())).containsExactly("a/1/pending", "b/1/pending");
    }

    @Test
    void deleteRemovesOnlyTheNamedEntriesAndIgnoresUnknownOnes() {
        InboxStore store = open();
        store.save(List.of(entry("a", 1, State.READ), entry("a", 2, State.PENDING), entry("b", 1, State.READ)));

        store.delete(List.of(entry("a", 1, State.READ), entry("c", 5, State.READ)));

        assertThat(keys(store.loadAll())).containsExactly("a/2/pending", "b/1/read");
    }

    @Test
    void savingOrDeletingNothingChangesNothing() {
        InboxStore store = open();
        store.save(List.of(entry("a", 1, State.PENDING)));
        store.save(List.of());
        store.delete(List.of());

        assertThat(keys(store.loadAll())).containsExactly("a/1/pending");
    }

    @Test
    void whatWasStoredIsThereAfterReopening() {
        InboxStore store = newStore();
        store.save(List.of(entry("a", 1, State.READ), entry("a", 2, State.PENDING), entry("b", 4, State.DELIVERED)));
        store.delete(List.of(entry("b", 4, State.DELIVERED)));

        InboxStore again = reopen(store);
        opened.add(again);

        assertThat(keys(again.loadAll())).containsExactly("a/1/read", "a/2/pending");
    }

    @Test
    void closeIsIdempotent() {
        InboxStore store = newStore();
        store.close();
        store.close();
    }
}
