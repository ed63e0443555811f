package dev.nexus.protocol;

import java.util.Arrays;
import java.util.List;

/**
 * Writes one JSON object straight into bytes, without a JSON generator, as long as every string in it is plain
 * printable ASCII (no character that JSON escapes, nothing beyond {@code ~}). That is what the server writes on its
 * hottest paths (ids, seqs, epochs, timestamps, topic names, session ids), and there the generator's per-call set-up
 * cost more than the writing. The bytes are exactly what Jackson writes for the same fields in the same order.
 *
 * <p>When a string is not plain, {@link #bytes()} returns null and the caller writes the object with Jackson
 * instead; so nothing is ever escaped here. Field names must be plain: they are the caller's constants.
 *
 * <p>One instance per thread, reused ({@link #start()}); not for nested use.
 */
final class PlainJsonObject {
    private static final int INITIAL_CAPACITY = 512;
    private static final int RETAINED_CAPACITY = 64 * 1024;
    private static final ThreadLocal<PlainJsonObject> PER_THREAD = ThreadLocal.withInitial(PlainJsonObject::new);

    private byte[] bytes = new byte[INITIAL_CAPACITY];
    private int size;
    private boolean plain;
    private boolean first;

    private PlainJsonObject() {
    }

    /**
     * A field name as the bytes it is written as ({@code "name":}), made once: writing a name is then one copy
     * rather than a check of each of its characters (a tenth of the event loop's time in {@code fanin} before).
     */
    static final class Name {
        private final byte[] json;

        private Name(byte[] json) {
            this.json = json;
        }

        /**
         * @throws IllegalArgumentException when {@code name} is not plain (printable ASCII without {@code "} or
         *     {@code \}); such names are written by Jackson instead
         */
        static Name of(String name) {
            byte[] json = new byte[name.length() + 3];
            json[0] = '"';
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (!isPlain(c)) {
                    throw new IllegalArgumentException("not a plain field name: " + name);
                }
                json[i + 1] = (byte) c;
            }
            json[json.length - 2] = '"';
            json[json.length - 1] = ':';
            return new Name(json);
        }
    }

    /** This thread's writer, with an object opened. */
    static PlainJsonObject start() {
        PlainJsonObject object = PER_THREAD.get();
        object.size = 0;
        object.plain = true;
        object.first = true;
        object.put((byte) '{');
        return object;
    }

    PlainJsonObject string(Name name, String value) {
        name(name);
        quoted(value);
        return this;
    }

    /** The field, unless {@code value} is null. */
    PlainJsonObject optionalString(Name name, String value) {
        return value == null ? this : string(name, value);
    }

    PlainJsonObject number(Name name, long value) {
        name(name);
        if (!plain) {
            return this;
        }
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));
            return this;
        }
        // the digits straight into the buffer: no String per number (Long.toString was a tenth of a publish)
        long rest = Math.abs(value);
        int digits = 1;
        for (long bound = 10; digits < 19 && rest >= bound; bound *= 10) {
            digits++;
        }
        int sign = value < 0 ? 1 : 0;
        room(sign + digits);
        if (sign == 1) {
            bytes[size] = '-';
        }
        int end = size + sign + digits;
        for (int at = end - 1; at >= size + sign; at--) {
            bytes[at] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        size = end;
        return this;
    }

    /** The field, unless {@code value} is null. */
    PlainJsonObject optionalNumber(Name name, Integer value) {
        return value == null ? this : number(name, value);
    }

    PlainJsonObject bool(Name name, boolean value) {
        name(name);
        ascii(value ? "true" : "false");
        return this;
    }

    /** An array of strings, unless {@code values} is null. */
    PlainJsonObject optionalStrings(Name name, List<String> values) {
        if (values == null) {
            return this;
        }
        name(name);
        put((byte) '[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                put((byte) ',');
            }
            quoted(values.get(i));
        }
        put((byte) ']');
        return this;
    }

    /** A value that is already JSON (UTF-8), copied as it is. */
    PlainJsonObject json(Name name, byte[] json) {
        name(name);
        room(json.length);
        System.arraycopy(json, 0, bytes, size, json.length);
        size += json.length;
        return this;
    }

    /**
     * Closes the object.
     *
     * @return its UTF-8 JSON in an array of its own, or null when a string was not plain (write it with Jackson)
     */
    byte[] bytes() {
        put((byte) '}');
        byte[] result = plain ? Arrays.copyOf(bytes, size) : null;
        if (bytes.length > RETAINED_CAPACITY) {
            bytes = new byte[INITIAL_CAPACITY];
        }
        return result;
    }

    private void name(Name name) {
        byte[] field = name.json;
        room(field.length + 1);
        if (!first) {
            bytes[size++] = ',';
        }
        first = false;
        System.arraycopy(field, 0, bytes, size, field.length);
        size += field.length;
    }

    private void quoted(String value) {
        put((byte) '"');
        ascii(value);
        put((byte) '"');
    }

    /** Copies a plain string's characters as bytes; marks the object not plain at the first one that is not. */
    private void ascii(String value) {
        if (!plain) {
            return;
        }
        int length = value.length();
        room(length);
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (!isPlain(c)) {
                plain = false;
                return;
            }
            bytes[size++] = (byte) c;
        }
    }

    private static boolean isPlain(char c) {
        return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
    }

    private void put(byte b) {
        room(1);
        bytes[size++] = b;
    }

    private void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
