package dev.nexus.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.core.spi.WorkItem;
import dev.nexus.core.spi.WorkQueueStore;
import dev.nexus.core.spi.WorkQueueStoreContractTest;
import dev.nexus.core.spi.WorkStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteWorkQueueStoreContractTest extends WorkQueueStoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected WorkQueueStore newStore() {
        return SqliteWorkQueueStore.open(dir.resolve("nexus.db"));
    }

    @Test
    void itemsSurviveClosingAndReopeningTheFile() {
        WorkItem pending = item("a", 1, WorkStatus.PENDING);
        WorkItem claimed = item("b", 2, WorkStatus.CLAIMED);
        store.insert(pending);
        store.insert(claimed);
        ((SqliteWorkQueueStore) store).close();

        try (SqliteWorkQueueStore reopened = SqliteWorkQueueStore.open(dir.resolve("nexus.db"))) {
            assertThat(reopened.list()).containsExactly(pending, claimed);
        }
    }
}
