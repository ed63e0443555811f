package dev.nexus.store.sqlite;

import dev.nexus.core.spi.Durability;
import dev.nexus.core.spi.EventLog;
import dev.nexus.core.spi.EventLogContractTest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The event log contract against SQLite, once per durability mode; every log gets a new file. */
class SqliteEventLogContractTest {
    @TempDir
    Path dir;
    private final AtomicInteger files = new AtomicInteger();

    private EventLog newFileLog(Durability durability, int maxEvents, Duration maxAge, Clock clock) {
        Path file = dir.resolve("log-" + files.incrementAndGet() + ".db");
        return SqliteEventLog.open(file, durability, LogRetention.of(maxEvents, maxAge), clock);
    }

    @Nested
    class Sync extends EventLogContractTest {
        @Override
        protected EventLog newLog(int maxEvents, Duration maxAge, Clock clock) {
            return newFileLog(Durability.SYNC, maxEvents, maxAge, clock);
        }
    }

    @Nested
    class BatchAsync extends EventLogContractTest {
        @Override
        protected EventLog newLog(int maxEvents, Duration maxAge, Clock clock) {
            return newFileLog(Durability.BATCH_ASYNC, maxEvents, maxAge, clock);
        }
    }

    @Nested
    class Off extends EventLogContractTest {
        @Override
        protected EventLog newLog(int maxEvents, Duration maxAge, Clock clock) {
            return newFileLog(Durability.OFF, maxEvents, maxAge, clock);
        }
    }
}
