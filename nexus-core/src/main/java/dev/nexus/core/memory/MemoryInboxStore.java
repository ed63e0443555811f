package dev.nexus.core.memory;

import dev.nexus.core.spi.InboxEntry;
import dev.nexus.core.spi.InboxStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Inbox entries in memory: nothing survives the process. Thread-safe (one lock). */
public final class MemoryInboxStore implements InboxStore {
    private final Map<String, TreeMap<Long, InboxEntry>> byRecipient = new TreeMap<>();

    @Override
    public synchronized List<InboxEntry> loadAll() {
        List<InboxEntry> all = new ArrayList<>();
        byRecipient.values().forEach(entries -> all.addAll(entries.values()));
        return all;
    }

    @Override
    public synchronized void save(List<InboxEntry> entries) {
        for (InboxEntry entry : entries) {
            byRecipient.computeIfAbsent(entry.recipient(), r -> new TreeMap<>()).put(entry.seq(), entry);
        }
    }

    @Override
    public synchronized void delete(List<InboxEntry> entries) {
        for (InboxEntry entry : entries) {
            TreeMap<Long, InboxEntry> inbox = byRecipient.get(entry.recipient());
            if (inbox != null) {
                inbox.remove(entry.seq());
                if (inbox.isEmpty()) {
                    byRecipient.remove(entry.recipient());
                }
            }
        }
    }

    @Override
    public void close() {
        // nothing held
    }
}
