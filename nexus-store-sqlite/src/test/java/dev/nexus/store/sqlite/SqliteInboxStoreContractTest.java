package dev.nexus.store.sqlite;

import dev.nexus.core.spi.InboxStore;
import dev.nexus.core.spi.InboxStoreContractTest;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

class SqliteInboxStoreContractTest extends InboxStoreContractTest {
    @TempDir
    Path dir;
    private final AtomicInteger files = new AtomicInteger();
    private final java.util.Map<InboxStore, Path> paths = new java.util.IdentityHashMap<>();

    @Override
    protected InboxStore newStore() {
        Path file = dir.resolve("inbox-" + files.incrementAndGet() + ".db");
        SqliteInboxStore store = SqliteInboxStore.open(file);
        paths.put(store, file);
        return store;
    }

    @Override
    protected InboxStore reopen(InboxStore store) {
        store.close();
        return SqliteInboxStore.open(paths.get(store));
    }
}
