package dev.nexus.server.ssot;

import dev.nexus.core.EncodedEvent;
import dev.nexus.core.routing.Subscriber;
import dev.nexus.protocol.ErrorCode;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A lock-free "state changed" flag between the node's publishers and one writer thread. As a {@link Subscriber}
 * it ignores what the event says: every delivered event marks the state changed.
 *
 * <p>Threading: {@link #deliver} and {@link #mark} may be called by any thread, including inside the node's
 * sequencing section; they never block and do no I/O — at most a compare-and-set and waking the writer on the
 * first change since the writer last {@linkplain #take() took} them. {@link #take} and {@link #pendingSince} are
 * for the writer thread.
 */
final class ChangeSignal implements Subscriber {
    /** {@link #dirtySince} when no change is pending. */
    static final long CLEAN = Long.MIN_VALUE;

    private final AtomicLong dirtySince = new AtomicLong(CLEAN);
    private volatile Thread writer;

    /** The thread to wake on the first change; null wakes nobody. */
    void wakes(Thread writerThread) {
        this.writer = writerThread;
    }

    @Override
    public void deliver(EncodedEvent event) {
        mark();
    }

    /** Observers are not connections: there is nothing to end. */
    @Override
    public void disconnect(ErrorCode reason, String message) {
    }

    /** Records that the state changed. Non-blocking. */
    void mark() {
        if (dirtySince.get() != CLEAN) {
            return;
        }
        long now = System.nanoTime();
        if (dirtySince.compareAndSet(CLEAN, now == CLEAN ? now + 1 : now)) {
            Thread thread = writer;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }
    }

    /** {@link System#nanoTime()} of the first change not yet taken, or {@link #CLEAN} when none is pending. */
    long pendingSince() {
        return dirtySince.get();
    }

    /**
     * Takes the pending changes: call it just before reading the state, so a change made after the read is
     * marked again and never lost.
     */
    void take() {
        dirtySince.set(CLEAN);
    }
}
