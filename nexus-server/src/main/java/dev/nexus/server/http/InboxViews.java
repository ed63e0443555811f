package dev.nexus.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.Published;
import dev.nexus.core.inbox.InboxMessage;
import dev.nexus.protocol.WireJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The JSON shapes of inboxes and acknowledgements, the same over HTTP and WebSocket. */
public final class InboxViews {
    private InboxViews() {
    }

    /** {@code {"session_id","unread","count","messages":[{"state","event"}]}}. */
    public static ObjectNode inbox(String sessionId, int unread, List<InboxMessage> messages) {
        ObjectNode node = WireJson.mapper().createObjectNode();
        node.put("session_id", sessionId);
        node.put("unread", unread);
        node.put("count", messages.size());
        ArrayNode list = node.putArray("messages");
        for (InboxMessage message : messages) {
            ObjectNode item = list.addObject();
            item.put("state", message.entry().state().wire());
            item.set("event", event(message));
        }
        return node;
    }

    /** Adds the outcome of an acknowledgement to {@code reply}: {@code acknowledged}, {@code event_ids}, {@code unread}. */
    public static ObjectNode acknowledged(ObjectNode reply, List<InboxMessage> read, int unread) {
        reply.put("acknowledged", read.size());
        ArrayNode ids = reply.putArray("event_ids");
        read.forEach(message -> ids.add(message.entry().eventId()));
        reply.put("unread", unread);
        return reply;
    }

    /** Adds {@code routed_to} to a publish reply when the event was routed by capability. */
    public static void routedTo(ObjectNode reply, Published published) {
        if (published.routedTo() != null) {
            ArrayNode sessions = reply.putArray("routed_to");
            published.routedTo().forEach(sessions::add);
        }
    }

    private static JsonNode event(InboxMessage message) {
        try {
            return WireJson.mapper().readTree(message.entry().json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
