package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EncodingBufferTest {

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void eachEncodingGetsAnArrayOfItsOwnOfTheExactSize() {
        byte[] first = EncodingBuffer.encode(g -> g.writeString("first"), () -> "a string");
        byte[] second = EncodingBuffer.encode(g -> g.writeNumber(2), () -> "a number");

        assertThat(text(first)).isEqualTo("\"first\"");
        assertThat(text(second)).isEqualTo("2");
    }

    @Test
    void anEncodingNestedInAnotherOnTheSameThreadDoesNotMixTheirBytes() {
        byte[][] inner = new byte[1][];
        byte[] outer = EncodingBuffer.encode(g -> {
            g.writeStartObject();
            g.writeStringField("outer", "before");
            inner[0] = EncodingBuffer.encode(nested -> nested.writeString("inner"), () -> "the inner string");
            g.writeStringField("after", "yes");
            g.writeEndObject();
        }, () -> "the outer object");

        assertThat(text(outer)).isEqualTo("{\"outer\":\"before\",\"after\":\"yes\"}");
        assertThat(text(inner[0])).isEqualTo("\"inner\"");
    }

    @Test
    void aFailedEncodingLeavesNothingBehindForTheNext() {
        assertThatThrownBy(() -> EncodingBuffer.encode(g -> {
            g.writeString("half written");
            g.flush();
            throw new IOException("the writer gave up");
        }, () -> "a failing value"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("a failing value");

        assertThat(text(EncodingBuffer.encode(g -> g.writeBoolean(true), () -> "a boolean"))).isEqualTo("true");
    }

    @Test
    void aLargeValueIsEncodedWholeAndASmallOneAfterItStaysExact() {
        String large = "x".repeat(200_000);

        byte[] big = EncodingBuffer.encode(g -> g.writeString(large), () -> "a large string");
        byte[] small = EncodingBuffer.encode(g -> g.writeString("s"), () -> "a small string");

        assertThat(big).hasSize(large.length() + 2);
        assertThat(text(big)).isEqualTo("\"" + large + "\"");
        assertThat(text(small)).isEqualTo("\"s\"");
    }
}
