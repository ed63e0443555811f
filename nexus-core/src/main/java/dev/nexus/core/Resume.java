package dev.nexus.core;

/**
 * Where a client says it stopped: resume delivery after {@code seq} of the log {@code epoch}.
 *
 * @param seq the last seq the client received
 * @param epoch the epoch it received it in, or null when it does not know (then no epoch check is made)
 */
public record Resume(long seq, String epoch) {
    public Resume {
        if (seq < 0) {
            throw new IllegalArgumentException("since_seq must not be negative: " + seq);
        }
    }
}
