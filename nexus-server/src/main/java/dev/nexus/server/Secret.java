package dev.nexus.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A configured secret, such as the admin token. It never shows itself: {@link #toString()} is redacted, so a
 * configuration that is logged or printed does not leak it. Compare with {@link #matches}, which takes the same
 * time wherever the first difference is.
 */
public final class Secret {
    /** Shortest secret accepted: guessing stays out of reach. */
    public static final int MIN_LENGTH = 16;

    private final byte[] bytes;

    private Secret(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * @param option the option it comes from, for the message
     * @throws IllegalArgumentException when shorter than {@value #MIN_LENGTH} characters (the message does not
     *     contain the value)
     */
    public static Secret of(String value, String option) {
        Objects.requireNonNull(value, option);
        if (value.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(option + " must be at least " + MIN_LENGTH + " characters long");
        }
        return new Secret(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code presented} is this secret, compared in constant time; false for null. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(bytes, presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
