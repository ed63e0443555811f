package dev.nexus.core;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Remembers, for the dedup window, the outcome of every publish that carried an idempotency key, so a retry of
 * the same (session, key) returns the original event instead of storing a second copy.
 *
 * <p>Bounded: at most {@code maxEntries} keys; when full the oldest key is forgotten early (the window shrinks
 * under extreme load rather than memory growing without limit). Not thread-safe: the node uses it inside its
 * sequencing section, which is what makes check-then-append atomic.
 */
final class IdempotencyWindow {
    private final long windowMillis;
    private final int maxEntries;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    IdempotencyWindow(Duration window, int maxEntries) {
        this.windowMillis = window.toMillis();
        this.maxEntries = maxEntries;
    }

    /** The original outcome of (session, key) if it was published within the window, else null. */
    CompletableFuture<Published> find(String sessionId, String key, long nowMillis) {
        Entry entry = entries.get(id(sessionId, key));
        return entry == null || entry.expiresAtMillis <= nowMillis ? null : entry.outcome;
    }

    void remember(String sessionId, String key, long publishedAtMillis, CompletableFuture<Published> outcome) {
        entries.put(id(sessionId, key), new Entry(publishedAtMillis + windowMillis, outcome));
        if (entries.size() > maxEntries) {
            Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** Forgets keys whose window has passed; entries are in publish order, so this stops at the first live one. */
    void expire(long nowMillis) {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext() && it.next().getValue().expiresAtMillis <= nowMillis) {
            it.remove();
        }
    }

    int size() {
        return entries.size();
    }

    private static String id(String sessionId, String key) {
        return sessionId + '\u0000' + key;
    }

    private record Entry(long expiresAtMillis, CompletableFuture<Published> outcome) {
    }
}
