package dev.nexus.core.work;

import dev.nexus.core.spi.Claim;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@value #CAPACITY} lease expiries since the node started, for operators; older ones are dropped (the
 * full record is {@code work.expired} in history). Thread-safe.
 */
public final class RecentExpiries {
    public static final int CAPACITY = 1000;

    private final int capacity;
    private final ArrayDeque<Expiry> expiries = new ArrayDeque<>();

    RecentExpiries(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(Claim claim, Instant at) {
        if (expiries.size() == capacity) {
            expiries.removeFirst();
        }
        expiries.addLast(new Expiry(claim, at));
    }

    synchronized List<Expiry> newestFirst() {
        List<Expiry> list = new ArrayList<>(expiries);
        java.util.Collections.reverse(list);
        return list;
    }

    /**
     * One expiry.
     *
     * @param claim the grant whose lease ran out
     * @param freedAt when the item was freed
     */
    public record Expiry(Claim claim, Instant freedAt) {
    }
}
