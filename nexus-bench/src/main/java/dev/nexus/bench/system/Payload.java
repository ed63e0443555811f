package dev.nexus.bench.system;

import java.nio.charset.StandardCharsets;

/**
 * The payload every system carries: a JSON object of exactly the requested size (Nexus requires an object; NATS
 * and Redis carry the same bytes as the message body). Latency runs put the intended send time in it as
 * {@code "due"}, which subscribers read back with {@link #due}.
 */
public final class Payload {
    private static final byte[] DUE_KEY = "\"due\":".getBytes(StandardCharsets.US_ASCII);
    private static final long DUE_OFFSET = 1_000_000_000_000_000_000L;

    private Payload() {
    }

    /** {@code {"pad":"xx…"}}, {@code size} bytes (at least the 10 of an empty pad). */
    public static byte[] fixed(int size) {
        String head = "{\"pad\":\"";
        return (head + "x".repeat(Math.max(0, size - head.length() - 2)) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code {"due":<1e18 + dueNanos>,"pad":"xx…"}}, {@code size} bytes (at least 35); see {@link DueWriter}. */
    public static byte[] withDue(long dueNanos, int size) {
        return new DueWriter(size).write(dueNanos);
    }

    /**
     * Writes payloads that carry a due time, for one payload size, without building a string per event. The time
     * is written as 10^18 + nanos, always 19 digits (JSON allows no leading zeros), so a template is filled in
     * place; {@link #due} takes the offset off again.
     */
    public static final class DueWriter {
        private static final int FIRST_DIGIT = 1 + DUE_KEY.length;
        private static final int DIGITS = 19;
        private final byte[] template;

        public DueWriter(int size) {
            String head = "{\"due\":1" + "0".repeat(DIGITS - 1) + ",\"pad\":\"";
            template = (head + "x".repeat(Math.max(0, size - head.length() - 2)) + "\"}").getBytes(StandardCharsets.US_ASCII);
        }

        /** A new array with {@code dueNanos} (clamped to 0 … 8×10^18) in place. */
        public byte[] write(long dueNanos) {
            byte[] out = template.clone();
            long value = DUE_OFFSET + Math.min(Math.max(0, dueNanos), 8 * DUE_OFFSET);
            for (int i = FIRST_DIGIT + DIGITS - 1; i >= FIRST_DIGIT; i--) {
                out[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            return out;
        }
    }

    /** The due time a {@link DueWriter} put in a message, or a negative number if there is none. */
    public static long due(PubSub.ByteView message) {
        int length = message.length();
        outer:
        for (int i = 0; i + DUE_KEY.length < length; i++) {
            for (int k = 0; k < DUE_KEY.length; k++) {
                if (message.at(i + k) != DUE_KEY[k]) {
                    continue outer;
                }
            }
            long value = 0;
            int digits = 0;
            for (int j = i + DUE_KEY.length; j < length; j++) {
                byte b = message.at(j);
                if (b < '0' || b > '9') {
                    break;
                }
                value = value * 10 + (b - '0');
                digits++;
            }
            if (digits > 0) {
                return value - DUE_OFFSET;
            }
        }
        return -1;
    }

    /** A view of a byte array. */
    public static PubSub.ByteView view(byte[] bytes) {
        return new PubSub.ByteView() {
            @Override
            public int length() {
                return bytes.length;
            }

            @Override
            public byte at(int index) {
                return bytes[index];
            }
        };
    }
}
