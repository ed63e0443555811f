package dev.nexus.core.spi;

import java.util.Objects;

/**
 * One direct message in a recipient's inbox, as stored.
 *
 * @param recipient the session the message is addressed to ({@code target_session_id})
 * @param seq the message's position in the event log; unique per recipient
 * @param eventId the message's event id
 * @param sender the publishing session, to which {@code message.read} receipts go
 * @param eventType the message's topic
 * @param json the event's wire JSON, exactly as delivered (seq included); never modified
 * @param state where the message is in its life
 */
public record InboxEntry(String recipient, long seq, String eventId, String sender, String eventType, byte[] json,
        State state) {

    public InboxEntry {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(state, "state");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be positive: " + seq);
        }
    }

    public InboxEntry withState(State newState) {
        return new InboxEntry(recipient, seq, eventId, sender, eventType, json, newState);
    }

    /**
     * The life of an inbox message: {@code PENDING} until it is handed to a live connection of the recipient,
     * {@code DELIVERED} then, {@code READ} once the recipient acknowledged it. It only moves forward.
     */
    public enum State {
        PENDING, DELIVERED, READ;

        /** The lower-case name used on the wire and in storage. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The state named by {@link #wire()}. */
        public static State fromWire(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
