package dev.nexus.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A JSON object kept as the UTF-8 bytes it was received as, and parsed into fields only when something reads
 * them. An event's payload is the case it exists for: publishing reads none of the payload's fields, so the server
 * neither builds the payload's tree nor writes it out again; {@link JsonTreeWriter} copies the bytes into the
 * event's JSON as they are.
 *
 * <p>In every other respect it is an {@link ObjectNode}: the first method that looks at its fields parses the
 * bytes (once, safely from any thread; see {@link FieldsOnDemand}), and from then on the node is written from its
 * fields, so a change made to them is never lost. Build one only from bytes a parser with the wire limits has
 * already read as one object ({@link PayloadKeepingParser}): parsing them again must not fail.
 */
final class RawObjectNode extends ObjectNode {
    private static final long serialVersionUID = 1L;

    private final transient FieldsOnDemand fields;

    /** @param json one JSON object, UTF-8, already validated */
    RawObjectNode(byte[] json) {
        this(new FieldsOnDemand(json));
    }

    private RawObjectNode(FieldsOnDemand fields) {
        super(JsonNodeFactory.instance, fields);
        this.fields = fields;
    }

    /** The bytes as received, while no one has read the fields; null afterwards (write the fields then). */
    byte[] receivedJson() {
        return fields.unparsedJson();
    }

    /**
     * Writes the received bytes at the generator's position, if no one has read the fields yet.
     *
     * @return false when the fields have been parsed: the caller writes them instead
     */
    boolean writeReceived(JsonGenerator g) throws IOException {
        byte[] json = fields.unparsedJson();
        if (json == null) {
            return false;
        }
        g.writeRawValue(new Utf8Value(json));
        return true;
    }

    @Override
    public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
        if (!writeReceived(g)) {
            super.serialize(g, provider);
        }
    }

    /**
     * Raw UTF-8 handed to a generator: a UTF-8 generator copies the bytes into its buffer; anything that wants
     * characters (a generator writing text) gets them decoded on demand.
     */
    private static final class Utf8Value implements SerializableString {
        private final byte[] utf8;
        private SerializedString decoded;

        Utf8Value(byte[] utf8) {
            this.utf8 = utf8;
        }

        private SerializedString decoded() {
            if (decoded == null) {
                decoded = new SerializedString(new String(utf8, StandardCharsets.UTF_8));
            }
            return decoded;
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + utf8.length > buffer.length) {
                return -1;
            }
            System.arraycopy(utf8, 0, buffer, offset, utf8.length);
            return utf8.length;
        }

        /** The bytes themselves, not a copy: generators only read them. */
        @Override
        public byte[] asUnquotedUTF8() {
            return utf8;
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(utf8);
            return utf8.length;
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (utf8.length > buffer.remaining()) {
                return -1;
            }
            buffer.put(utf8);
            return utf8.length;
        }

        @Override
        public String getValue() {
            return decoded().getValue();
        }

        @Override
        public int charLength() {
            return decoded().charLength();
        }

        @Override
        public char[] asQuotedChars() {
            return decoded().asQuotedChars();
        }

        @Override
        public byte[] asQuotedUTF8() {
            return decoded().asQuotedUTF8();
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            return decoded().appendQuotedUTF8(buffer, offset);
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            return decoded().appendQuoted(buffer, offset);
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            return decoded().appendUnquoted(buffer, offset);
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) throws IOException {
            return decoded().writeQuotedUTF8(out);
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
            return decoded().putQuotedUTF8(buffer);
        }
    }
}
