package dev.nexus.core;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generates UUIDv7 event ids (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort by time.
 * Within one millisecond ids are unique by their 74 random bits, not ordered.
 */
public final class EventIds {
    private final Clock clock;

    public EventIds(Clock clock) {
        this.clock = clock;
    }

    public String next() {
        return next(clock.millis());
    }

    /**
     * An id whose time part is {@code millis}: the node passes the event's own timestamp, so the id and the
     * timestamp agree and the clock is read once per event.
     */
    public String next(long millis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** A random token for things that must not be guessable (epochs); not for event ids. */
    public static String randomToken() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        StringBuilder text = new StringBuilder(16);
        for (byte b : bytes) {
            text.append(String.format("%02x", b));
        }
        return text.toString();
    }
}
