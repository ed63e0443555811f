package dev.nexus.bench.scenario;

import java.util.List;

/**
 * The {@code serve} options of the servers the scenarios start, per store. The memory store keeps the default
 * history (1,000 events): it holds its history on the heap, and a history sized for a long run would fill the
 * 512 MB heap and measure the garbage collector. The SQLite store gets a history large enough that retention
 * deletes stay out of the measurement.
 */
final class ServeOptions {
    private ServeOptions() {
    }

    /** Options for {@code store} ({@code memory} or {@code sqlite}) and, for SQLite, {@code durability}. */
    static List<String> forStore(String store, String durability) {
        if (store.equals("memory")) {
            return List.of("--store", "memory");
        }
        return List.of("--store", store, "--durability", durability, "--history-size", "10000000",
                "--history-retention", "1d");
    }

    static List<String> memory() {
        return forStore("memory", null);
    }
}
