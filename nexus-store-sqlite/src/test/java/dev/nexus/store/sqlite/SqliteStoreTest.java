package dev.nexus.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.core.Node;
import dev.nexus.core.NodeBackends;
import dev.nexus.core.NodeOptions;
import dev.nexus.core.Published;
import dev.nexus.core.memory.MemoryPresenceStore;
import dev.nexus.core.spi.ContractClock;
import dev.nexus.core.spi.Durability;
import dev.nexus.core.spi.HistoryQuery;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.WireJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest {
    private static final LogRetention RETENTION = LogRetention.of(1_000, Duration.ofHours(1));

    @TempDir
    Path dir;
    private final ContractClock clock = new ContractClock();

    @Test
    void opensNexusDbInTheDataDirectoryCreatingTheDirectory() {
        Path dataDir = dir.resolve("data/node-1");

        try (SqliteStore store = SqliteStore.open(dataDir, Durability.SYNC, RETENTION, clock)) {
            assertThat(store.databaseFile()).isEqualTo(dataDir.resolve("nexus.db"));
            assertThat(Files.isRegularFile(store.databaseFile())).isTrue();
            assertThat(store.eventLog().head().seq()).isZero();
            assertThat(store.leases().list()).isEmpty();
        }
    }

    @Test
    void aDataDirectoryThatIsAFileFailsClearly() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("data"), "x");

        assertThatThrownBy(() -> SqliteStore.open(notADirectory, Durability.SYNC, RETENTION, clock))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot create the data directory " + notADirectory);
    }

    @Test
    void aNodeOnTheStoreKeepsHistorySeqAndEpochAcrossARestart() throws Exception {
        NodeOptions options = NodeOptions.defaults().withRateLimitPerMinute(0).withClock(clock);
        String epoch;
        try (SqliteStore store = SqliteStore.open(dir, Durability.SYNC, RETENTION, clock)) {
            Node node = Node.start(options, backends(store));
            for (int i = 1; i <= 3; i++) {
                Published published = node.publish(PublishRequest.of("orders.created", "alice",
                        WireJson.mapper().createObjectNode().put("n", i))).get(10, TimeUnit.SECONDS);
                assertThat(published.seq()).isEqualTo(i);
            }
            epoch = node.head().epoch();
            node.close();
        }

        try (SqliteStore store = SqliteStore.open(dir, Durability.SYNC, RETENTION, clock)) {
            Node node = Node.start(options, backends(store));
            List<Event> history = node.history(HistoryQuery.afterSeq(0, null, 10, true));
            assertThat(history).extracting(Event::seq).containsExactly(1L, 2L, 3L);
            assertThat(history).extracting(e -> e.payload().get("n").asInt()).containsExactly(1, 2, 3);
            Published next = node.publish(PublishRequest.of("orders.created", "alice",
                    WireJson.mapper().createObjectNode())).get(10, TimeUnit.SECONDS);
            assertThat(next.seq()).isEqualTo(4);
            assertThat(next.epoch()).isEqualTo(epoch);
            node.close();
        }
    }

    private static NodeBackends backends(SqliteStore store) {
        return new NodeBackends(store.eventLog(), new MemoryPresenceStore(), store.leases(), store.workQueue(), store.inbox());
    }
}
