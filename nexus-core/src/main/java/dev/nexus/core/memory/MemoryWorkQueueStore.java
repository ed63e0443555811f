package dev.nexus.core.memory;

import dev.nexus.core.spi.WorkItem;
import dev.nexus.core.spi.WorkQueueStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Work items in a concurrent map: one node, lost on restart. */
public final class MemoryWorkQueueStore implements WorkQueueStore {
    private final ConcurrentHashMap<String, WorkItem> items = new ConcurrentHashMap<>();

    @Override
    public boolean insert(WorkItem item) {
        return items.putIfAbsent(item.workId(), item) == null;
    }

    @Override
    public void update(WorkItem item) {
        if (items.replace(item.workId(), item) == null) {
            throw new IllegalArgumentException("no work item '" + item.workId() + "' to update");
        }
    }

    @Override
    public Optional<WorkItem> get(String workId) {
        return Optional.ofNullable(items.get(workId));
    }

    @Override
    public List<WorkItem> list() {
        List<WorkItem> all = new ArrayList<>(items.values());
        all.sort(Comparator.comparingLong(WorkItem::sequence));
        return all;
    }
}
