package dev.nexus.server.ws;

import dev.nexus.core.EncodedEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The WebSocket frames of recent events, one set per event loop. A server's frame is never masked (RFC 6455
 * §5.1), so an event's frame, header and JSON, is the same bytes for every connection: it is encoded once per
 * loop into a direct buffer, and each connection on the loop writes a retained duplicate of it. No connection
 * copies the event or runs it through the WebSocket encoder again, and the kernel reads the bytes straight
 * from the buffer.
 *
 * <p>Frames are found by the event's identity in a ring of {@value #SLOTS} slots indexed by its seq, which holds
 * one reference to each frame; a frame is released when a later event takes its slot (a write in flight holds a
 * reference of its own). A connection that drains an event after its slot was taken, a slow one, gets a frame
 * encoded again: correct, one copy more. Frames over {@value #MAX_SHARED_BYTES} bytes are not kept, so a loop
 * holds at most {@value #SLOTS} × {@value #MAX_SHARED_BYTES} bytes of frames after traffic stops.
 *
 * <p>Use only on an event loop thread, through {@link #onThisThread()}.
 */
final class EventFrames {
    static final int SLOTS = 64;
    static final int MAX_SHARED_BYTES = 64 * 1024;
    /** FIN and the text opcode: a whole text message in one frame. */
    private static final int FIN_TEXT = 0x81;

    private static final FastThreadLocal<EventFrames> PER_THREAD = new FastThreadLocal<>() {
        @Override
        protected EventFrames initialValue() {
            return new EventFrames();
        }

        @Override
        protected void onRemoval(EventFrames frames) {
            frames.releaseAll();
        }
    };

    private final EncodedEvent[] events = new EncodedEvent[SLOTS];
    private final ByteBuf[] frames = new ByteBuf[SLOTS];

    /** This thread's frames. */
    static EventFrames onThisThread() {
        return PER_THREAD.get();
    }

    /**
     * The frame of {@code event}, as a buffer the caller owns (one reference, its own reader index): write it to
     * a channel, which releases it once written.
     */
    ByteBuf frameFor(EncodedEvent event, ByteBufAllocator allocator) {
        int slot = (int) (event.event().seq() & (SLOTS - 1));
        if (events[slot] == event) {
            return frames[slot].retainedDuplicate();
        }
        ByteBuf frame = encode(event.json(), allocator);
        if (frame.readableBytes() > MAX_SHARED_BYTES) {
            return frame;
        }
        if (frames[slot] != null) {
            frames[slot].release();
        }
        events[slot] = event;
        frames[slot] = frame;
        return frame.retainedDuplicate();
    }

    /** An unmasked, final text frame carrying {@code utf8Json}, in a new direct buffer. */
    static ByteBuf encode(byte[] utf8Json, ByteBufAllocator allocator) {
        int length = utf8Json.length;
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuf frame = allocator.directBuffer(header + length);
        frame.writeByte(FIN_TEXT);
        if (length < 126) {
            frame.writeByte(length);
        } else if (length <= 0xFFFF) {
            frame.writeByte(126);
            frame.writeShort(length);
        } else {
            frame.writeByte(127);
            frame.writeLong(length);
        }
        return frame.writeBytes(utf8Json);
    }

    private void releaseAll() {
        for (int i = 0; i < SLOTS; i++) {
            if (frames[i] != null) {
                frames[i].release();
                frames[i] = null;
                events[i] = null;
            }
        }
    }
}
