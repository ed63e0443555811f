package dev.nexus.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.nexus.core.EncodedEvent;
import dev.nexus.protocol.Event;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each event's frame is encoded once and shared; every frame handed out is the whole RFC 6455 frame of the event's
 * JSON; and references are released, so nothing leaks and nothing is freed while a write still holds it.
 */
class EventFramesTest {
    /** Counts the buffers made, so a test can tell an encoded frame from a shared one. */
    private final List<ByteBuf> made = new ArrayList<>();
    private final ByteBufAllocator allocator = new AbstractByteBufAllocator(true) {
        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buffer = UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
            made.add(buffer);
            return buffer;
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            throw new AssertionError("frames go in direct buffers");
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    };
    private final EventFrames frames = new EventFrames();

    @Test
    void theConnectionsOfALoopShareOneEncodedFrameOfAnEvent() {
        EncodedEvent event = event(7, 200);

        ByteBuf first = frames.frameFor(event, allocator);
        ByteBuf second = frames.frameFor(event, allocator);

        assertThat(made).as("encoded once").hasSize(1);
        assertThat(payloadOf(first)).isEqualTo(event.json());
        assertThat(payloadOf(second)).as("each write reads the frame from its own start").isEqualTo(event.json());
        assertThat(made.getFirst().refCnt()).as("the ring's reference and one per write").isEqualTo(3);
        first.release();
        second.release();
        assertThat(made.getFirst().refCnt()).as("kept for the next connection").isEqualTo(1);
    }

    @Test
    void aLaterEventTakingTheSlotReleasesTheFrameOnceItsWritesAreDone() {
        ByteBuf written = frames.frameFor(event(3, 50), allocator);
        ByteBuf older = made.getFirst();

        frames.frameFor(event(3 + EventFrames.SLOTS, 50), allocator).release();

        assertThat(older.refCnt()).as("still held by the write in flight").isEqualTo(1);
        written.release();
        assertThat(older.refCnt()).isZero();
    }

    @Test
    void aConnectionDrainingAnEventWhoseSlotWasTakenGetsItEncodedAgain() {
        EncodedEvent slow = event(5, 80);
        frames.frameFor(slow, allocator).release();
        frames.frameFor(event(5 + EventFrames.SLOTS, 80), allocator).release();

        ByteBuf late = frames.frameFor(slow, allocator);

        assertThat(made).hasSize(3);
        assertThat(payloadOf(late)).isEqualTo(slow.json());
        late.release();
    }

    @Test
    void aFrameOverTheSharedLimitIsMadeForOneWriteAndNotKept() {
        EncodedEvent large = event(9, EventFrames.MAX_SHARED_BYTES + 1);

        ByteBuf frame = frames.frameFor(large, allocator);

        assertThat(payloadOf(frame)).isEqualTo(large.json());
        frame.release();
        assertThat(made.getFirst().refCnt()).as("nothing kept a reference").isZero();
    }

    @Test
    void lengthsUseTheShortestHeaderTheProtocolAllows() {
        for (int length : new int[] {0, 125, 126, 65_535, 65_536, 200_000}) {
            byte[] json = new byte[length];
            ByteBuf frame = EventFrames.encode(json, allocator);
            int header = length < 126 ? 2 : length <= 65_535 ? 4 : 10;
            assertThat(frame.readableBytes()).as("length %d", length).isEqualTo(header + length);
            assertThat(frame.getUnsignedByte(0)).as("FIN, text").isEqualTo((short) 0x81);
            assertThat(frame.getUnsignedByte(1) & 0x80).as("server frames are not masked").isZero();
            assertThat(payloadOf(frame)).hasSize(length);
            frame.release();
        }
    }

    /** The payload of the frame in {@code frame}, read by RFC 6455's rules for an unmasked frame. */
    private static byte[] payloadOf(ByteBuf frame) {
        int at = frame.readerIndex();
        int lengthByte = frame.getUnsignedByte(at + 1) & 0x7F;
        long length;
        int header;
        if (lengthByte < 126) {
            length = lengthByte;
            header = 2;
        } else if (lengthByte == 126) {
            length = frame.getUnsignedShort(at + 2);
            header = 4;
        } else {
            length = frame.getLong(at + 2);
            header = 10;
        }
        assertThat(frame.readableBytes()).isEqualTo(header + (int) length);
        byte[] payload = new byte[(int) length];
        frame.getBytes(at + header, payload);
        return payload;
    }

    private static EncodedEvent event(long seq, int payloadChars) {
        var payload = JsonNodeFactory.instance.objectNode().put("text", "x".repeat(payloadChars));
        Event event = new Event("0190a5d4-0000-7000-8000-00000000000" + (seq % 10), seq, "orders.created", "s1",
                Instant.parse("2026-11-23T12:00:00Z"), payload, null, null, null, null, null, null, null);
        EncodedEvent encoded = EncodedEvent.of(event, 0);
        assertThat(new String(encoded.json(), StandardCharsets.UTF_8)).contains("\"seq\":" + seq);
        return encoded;
    }
}
