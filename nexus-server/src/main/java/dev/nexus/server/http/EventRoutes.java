package dev.nexus.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.Node;
import dev.nexus.core.spi.HistoryQuery;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.EventCodec;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.PublishRequestReader;
import dev.nexus.protocol.TopicPattern;
import dev.nexus.protocol.WireJson;
import dev.nexus.protocol.WireTime;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** {@code POST /events} (publish over HTTP) and {@code GET /events/history}. */
public final class EventRoutes {
    public static final int DEFAULT_HISTORY_LIMIT = 100;
    public static final int MAX_HISTORY_LIMIT = 1000;

    private final Node node;
    private final HttpReplies replies;

    public EventRoutes(Node node, HttpReplies replies) {
        this.node = node;
        this.replies = replies;
    }

    public void register(Router router, BodyHandler bodies) {
        router.post("/events").handler(bodies).handler(this::publish);
        router.get("/events/history").handler(this::history);
    }

    private void publish(RoutingContext ctx) {
        ObjectNode body = RequestReader.object(ctx);
        node.publish(PublishRequestReader.read(body, null)).whenComplete((published, failure) -> {
            if (failure != null) {
                replies.failure(ctx, failure);
                return;
            }
            ObjectNode reply = WireJson.mapper().createObjectNode();
            reply.put("event_id", published.eventId());
            reply.put("status", "published");
            reply.put("timestamp", WireTime.format(published.timestamp()));
            reply.put("seq", published.seq());
            replies.ok(ctx, reply);
        });
    }

    private void history(RoutingContext ctx) {
        String sinceText = RequestReader.param(ctx, "since");
        Instant since = sinceText == null ? null : WireTime.parse(sinceText, "since");
        String typeText = RequestReader.param(ctx, "event_type");
        TopicPattern pattern = null;
        if (typeText != null) {
            try {
                pattern = TopicPattern.parse(typeText);
            } catch (NexusException e) {
                throw RequestReader.invalid("event_type", "event_type: " + e.getMessage());
            }
        }
        int limit = RequestReader.intParam(ctx, "limit", DEFAULT_HISTORY_LIMIT, 1, MAX_HISTORY_LIMIT);
        List<Event> events = node.history(new HistoryQuery(since, pattern, limit, false));
        ctx.response().setStatusCode(200)
                .putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-store")
                .end(Buffer.buffer(historyPage(events)));
    }

    private static byte[] historyPage(List<Event> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + events.size() * 256);
        try (JsonGenerator g = WireJson.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("count", events.size());
            g.writeArrayFieldStart("events");
            for (Event event : events) {
                EventCodec.write(g, event);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
