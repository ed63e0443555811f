package dev.nexus.core.inbox;

import com.fasterxml.jackson.core.JacksonException;
import dev.nexus.core.EncodedEvent;
import dev.nexus.core.spi.InboxEntry;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.EventCodec;
import dev.nexus.protocol.WireJson;
import java.io.UncheckedIOException;

/**
 * A message of an inbox: its stored entry and, for delivery, the event with its wire bytes.
 *
 * @param entry the stored form, with the message's state
 * @param event the event and its bytes; for an entry loaded from the store it is decoded from the stored JSON
 */
public record InboxMessage(InboxEntry entry, EncodedEvent event) {
    public InboxMessage {
        if (event == null) {
            event = decode(entry);
        }
    }

    /**
     * The event with its bytes for a delivery: as published when delivered live, stamped now when it waited for
     * the recipient to connect (so the publish-to-delivery latency figures measure the bus, not the wait).
     */
    EncodedEvent encoded(boolean live) {
        return live ? event : new EncodedEvent(event.event(), event.json(), System.nanoTime());
    }

    InboxMessage withState(InboxEntry.State state) {
        return new InboxMessage(entry.withState(state), event);
    }

    private static EncodedEvent decode(InboxEntry entry) {
        try {
            Event event = EventCodec.decode(WireJson.mapper().readTree(entry.json()));
            return new EncodedEvent(event, entry.json(), System.nanoTime());
        } catch (JacksonException e) {
            throw new UncheckedIOException("inbox entry " + entry.recipient() + "/" + entry.seq()
                    + " does not hold an event's JSON", e);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
