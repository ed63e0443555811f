package dev.nexus.bench.system;

import java.nio.charset.StandardCharsets;

/**
 * The payload every system carries: a JSON object of exactly the requested size (Nexus requires an object; NATS
 * and Redis carry the same bytes as the message body). Latency runs put the intended send time in it as
 * {@code "due"}, which subscribers read back with {@link #due}.
 */
public final class Payload {
    private static final byte[] DUE_KEY = "\"due\":".getBytes(StandardCharsets.US_ASCII);

    private Payload() {
    }

    /** {@code {"pad":"xx…"}}, {@code size} bytes (at least the 10 of an empty pad). */
    public static byte[] fixed(int size) {
        String head = "{\"pad\":\"";
        return (head + "x".repeat(Math.max(0, size - head.length() - 2)) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code {"due":<dueNanos>,"pad":"xx…"}}, {@code size} bytes when the number leaves room. */
    public static byte[] withDue(long dueNanos, int size) {
        String head = "{\"due\":" + dueNanos + ",\"pad\":\"";
        return (head + "x".repeat(Math.max(0, size - head.length() - 2)) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    /** The {@code "due"} number in a message, or -1 if there is none. */
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
            boolean negative = false;
            int j = i + DUE_KEY.length;
            if (j < length && message.at(j) == '-') {
                negative = true;
                j++;
            }
            for (; j < length; j++) {
                byte b = message.at(j);
                if (b < '0' || b > '9') {
                    break;
                }
                value = value * 10 + (b - '0');
                digits++;
            }
            if (digits > 0) {
                return negative ? -value : value;
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
