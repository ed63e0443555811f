package dev.nexus.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.Node;
import dev.nexus.core.spi.HistoryQuery;
import dev.nexus.core.spi.LogPosition;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.EventCodec;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.PublishRequestReader;
import dev.nexus.server.auth.Caller;
import dev.nexus.server.auth.Principal;
import dev.nexus.server.auth.TopicPolicy;
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
import java.util.function.Supplier;

/**
 * {@code POST /events} (publish over HTTP; the body's {@code session_id} must be the caller's, and the topic ACLs
 * must allow its {@code event_type}) and
 * {@code GET /events/history} (a session's credential reads only what the topic ACLs let it subscribe to).
 */
public final class EventRoutes {
    public static final int DEFAULT_HISTORY_LIMIT = 100;
    public static final int MAX_HISTORY_LIMIT = 1000;
    private static final TopicPattern EVERYTHING = TopicPattern.parse(">");

    private final Node node;
    private final Supplier<TopicPolicy> topics;
    private final HttpReplies replies;

    public EventRoutes(Node node, Supplier<TopicPolicy> topics, HttpReplies replies) {
        this.node = node;
        this.topics = topics;
        this.replies = replies;
    }

    public void register(Router router, BodyHandler bodies) {
        router.post("/events").handler(bodies).handler(this::publish);
        router.get("/events/history").handler(this::history);
    }

    private void publish(RoutingContext ctx) {
        ObjectNode body = RequestReader.object(ctx);
        PublishRequest request = PublishRequestReader.read(body, null);
        Caller.requireActingAs(ctx, request.sessionId());
        topics.get().requirePublish(request.sessionId(), request.eventType());
        node.publish(request).whenComplete((published, failure) -> {
            if (failure != null) {
                replies.failure(ctx, failure);
                return;
            }
            ObjectNode reply = WireJson.mapper().createObjectNode();
            reply.put("event_id", published.eventId());
            reply.put("status", "published");
            reply.put("timestamp", WireTime.format(published.timestamp()));
            reply.put("seq", published.seq());
            reply.put("epoch", published.epoch());
            if (published.duplicate()) {
                reply.put("duplicate", true);
            }
            InboxViews.routedTo(reply, published);
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
        Principal caller = Caller.find(ctx);
        if (caller != null && caller.kind() == Principal.Kind.SESSION) {
            // reading history is subscribing to the past: the same allow-list applies
            topics.get().requireSubscribe(caller.sessionId(), List.of(pattern != null ? pattern : EVERYTHING));
        }
        String sinceSeqText = RequestReader.param(ctx, "since_seq");
        Long sinceSeq = sinceSeqText == null ? null : RequestReader.longParam(ctx, "since_seq", 0, Long.MAX_VALUE);
        if (sinceSeq != null && since != null) {
            throw RequestReader.invalid("since", "give since or since_seq, not both");
        }
        int limit = RequestReader.intParam(ctx, "limit", DEFAULT_HISTORY_LIMIT, 1, MAX_HISTORY_LIMIT);
        HistoryQuery query = new HistoryQuery(since, sinceSeq, pattern, limit, false);
        LogPosition head = node.head();
        node.historyAsync(query).whenComplete((events, failure) -> {
            if (failure != null) {
                replies.failure(ctx, failure);
                return;
            }
            ctx.response().setStatusCode(200)
                    .putHeader("content-type", "application/json")
                    .putHeader("cache-control", "no-store")
                    .end(Buffer.buffer(historyPage(events, head, limit)));
        });
    }

    private static byte[] historyPage(List<Event> events, LogPosition head, int limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + events.size() * 256);
        try (JsonGenerator g = WireJson.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("count", events.size());
            g.writeArrayFieldStart("events");
            for (Event event : events) {
                EventCodec.write(g, event);
            }
            g.writeEndArray();
            g.writeStringField("epoch", head.epoch());
            g.writeNumberField("last_seq", head.seq());
            if (!events.isEmpty()) {
                g.writeNumberField("next_since_seq", events.get(events.size() - 1).seq());
            }
            g.writeBooleanField("has_more", events.size() == limit);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
