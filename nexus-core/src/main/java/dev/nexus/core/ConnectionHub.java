package dev.nexus.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The live connection of each session, in {@value #SHARDS} shards by session id hash (as centrifuge's hub).
 * Reads are lock-free; each shard's monitor serialises the connect/disconnect transitions of its sessions so
 * presence and claim bookkeeping see them in order.
 */
final class ConnectionHub {
    static final int SHARDS = 64;

    private final Shard[] shards = new Shard[SHARDS];

    ConnectionHub() {
        for (int i = 0; i < SHARDS; i++) {
            shards[i] = new Shard();
        }
    }

    /** Runs {@code transition} with the session's shard locked. Never call it from the sequencing section. */
    <T> T transition(String sessionId, Supplier<T> transition) {
        Shard shard = shard(sessionId);
        synchronized (shard) {
            return transition.get();
        }
    }

    /** Makes {@code connection} current for its session; returns the one it replaced, or null. Call inside {@link #transition}. */
    SessionConnection put(SessionConnection connection) {
        return shard(connection.sessionId()).connections.put(connection.sessionId(), connection);
    }

    /** Removes {@code connection} if it is still current; call inside {@link #transition}. */
    boolean removeIfCurrent(SessionConnection connection) {
        return shard(connection.sessionId()).connections.remove(connection.sessionId(), connection);
    }

    SessionConnection get(String sessionId) {
        return shard(sessionId).connections.get(sessionId);
    }

    int size() {
        int size = 0;
        for (Shard shard : shards) {
            size += shard.connections.size();
        }
        return size;
    }

    List<SessionConnection> all() {
        List<SessionConnection> all = new ArrayList<>();
        for (Shard shard : shards) {
            all.addAll(shard.connections.values());
        }
        return all;
    }

    private Shard shard(String sessionId) {
        return shards[Math.floorMod(sessionId.hashCode(), SHARDS)];
    }

    private static final class Shard {
        final ConcurrentHashMap<String, SessionConnection> connections = new ConcurrentHashMap<>();
    }
}
