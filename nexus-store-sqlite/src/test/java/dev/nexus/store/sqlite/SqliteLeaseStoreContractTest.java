package dev.nexus.store.sqlite;

import dev.nexus.core.spi.LeaseStore;
import dev.nexus.core.spi.LeaseStoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteLeaseStoreContractTest extends LeaseStoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected LeaseStore newStore() {
        return SqliteLeaseStore.open(dir.resolve("claims.db"));
    }
}
