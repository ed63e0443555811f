package dev.nexus.core.memory;

import dev.nexus.core.spi.EventLog;
import dev.nexus.core.spi.EventLogContractTest;
import java.time.Clock;
import java.time.Duration;

class MemoryEventLogContractTest extends EventLogContractTest {
    @Override
    protected EventLog newLog(int maxEvents, Duration maxAge, Clock clock) {
        return new MemoryEventLog(maxEvents, maxAge, clock);
    }
}
