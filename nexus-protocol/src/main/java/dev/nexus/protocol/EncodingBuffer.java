package dev.nexus.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Where a JSON generator writes the bytes of one frame or event: a buffer each thread reuses, copied out once into
 * an array of the exact size. A fresh {@code ByteArrayOutputStream} per encoding cost an allocation and a copy
 * each time it grew, about a quarter of encoding an event (JFR on {@code bin/nexus bench micro EventEncoding}).
 *
 * <p>Use {@link #encode}. An encoding nested inside another on the same thread gets a buffer of its own; a buffer
 * that grew beyond {@value #RETAINED_CAPACITY} bytes is not kept, so a rare large event does not pin its size per
 * thread.
 */
final class EncodingBuffer extends OutputStream {
    private static final int INITIAL_CAPACITY = 1024;
    private static final int RETAINED_CAPACITY = 64 * 1024;
    private static final ThreadLocal<EncodingBuffer> PER_THREAD = ThreadLocal.withInitial(EncodingBuffer::new);

    private byte[] bytes = new byte[INITIAL_CAPACITY];
    private int size;
    private boolean inUse;

    /** Writes JSON to a generator. */
    @FunctionalInterface
    interface Writing {
        void writeTo(JsonGenerator generator) throws IOException;
    }

    private EncodingBuffer() {
    }

    /**
     * The UTF-8 JSON that {@code writing} writes, in an array of its own.
     *
     * @param what names the value in the exception when writing fails (built only then)
     */
    static byte[] encode(Writing writing, Supplier<String> what) {
        EncodingBuffer out = acquire();
        try {
            try (JsonGenerator generator = WireJson.mapper().getFactory().createGenerator(out)) {
                writing.writeTo(generator);
            }
            return Arrays.copyOf(out.bytes, out.size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + what.get(), e);
        } finally {
            out.release();
        }
    }

    /** This thread's buffer, empty; a fresh one if it is already in use. */
    private static EncodingBuffer acquire() {
        EncodingBuffer buffer = PER_THREAD.get();
        if (buffer.inUse) {
            buffer = new EncodingBuffer();
        }
        buffer.inUse = true;
        buffer.size = 0;
        return buffer;
    }

    /** Frees the buffer for the next encoding on this thread. */
    private void release() {
        inUse = false;
        size = 0;
        if (bytes.length > RETAINED_CAPACITY) {
            bytes = new byte[INITIAL_CAPACITY];
        }
    }

    @Override
    public void write(int b) {
        ensureRoom(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        ensureRoom(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    private void ensureRoom(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
