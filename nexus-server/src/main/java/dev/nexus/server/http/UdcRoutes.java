package dev.nexus.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.Node;
import dev.nexus.core.metrics.LatencyWindow.LatencySnapshot;
import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.LogPosition;
import dev.nexus.core.spi.SessionRecord;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.WireJson;
import dev.nexus.protocol.WireTime;
import dev.nexus.server.DependencyProbe;
import dev.nexus.server.ServerConfig;
import dev.nexus.server.ServiceInfo;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The five UDC endpoints: {@code GET /health}, {@code /capabilities}, {@code /state}, {@code /dependencies} and
 * {@code POST /message}. Every figure in {@code /state} is measured live.
 */
public final class UdcRoutes {
    /** Queries {@code POST /message} answers. */
    public static final List<String> QUERIES = List.of("connected_sessions", "active_sessions", "claimed_work",
            "state", "health", "capabilities", "dependencies");
    /** The event types the seed names, which the bus and its clients use. */
    public static final List<String> EVENT_TYPES = List.of("session.connected", "session.disconnected",
            "work.claimed", "work.completed", "help.needed", "capability.broadcast", "status.update",
            "message.broadcast", "message.direct");

    private final Node node;
    private final ServerConfig config;
    private final List<DependencyProbe> dependencies;
    private final HttpReplies replies;

    public UdcRoutes(Node node, ServerConfig config, List<DependencyProbe> dependencies, HttpReplies replies) {
        this.node = node;
        this.config = config;
        this.dependencies = List.copyOf(dependencies);
        this.replies = replies;
    }

    public void register(Router router, BodyHandler bodies) {
        router.get("/health").handler(ctx -> replies.ok(ctx, health()));
        router.get("/capabilities").handler(ctx -> replies.ok(ctx, capabilities()));
        router.get("/state").handler(ctx -> replies.ok(ctx, state()));
        router.get("/dependencies").handler(ctx -> replies.ok(ctx, dependencies()));
        router.post("/message").handler(bodies).handler(this::message);
    }

    ObjectNode health() {
        ObjectNode health = WireJson.mapper().createObjectNode();
        List<String> failing = new java.util.ArrayList<>(dependencies.stream()
                .filter(d -> d.configured() && !d.available()).map(DependencyProbe::name).toList());
        String storeFailure = node.storeFailure();
        if (storeFailure != null) {
            failing.add(0, "event-log");
        }
        health.put("status", failing.isEmpty() ? "active" : "degraded");
        health.put("service", ServiceInfo.NAME);
        health.put("version", ServiceInfo.VERSION);
        health.put("timestamp", WireTime.format(Instant.now()));
        if (!failing.isEmpty()) {
            ArrayNode list = health.putArray("degraded");
            failing.forEach(list::add);
        }
        if (storeFailure != null) {
            health.put("store_error", storeFailure);
        }
        return health;
    }

    ObjectNode capabilities() {
        ObjectNode caps = WireJson.mapper().createObjectNode();
        caps.put("version", ServiceInfo.VERSION);
        ArrayNode features = caps.putArray("features");
        List.of("websocket-streaming", "pubsub-topics", "session-discovery", "work-coordination", "ssot-sync",
                "event-history", "rate-limiting").forEach(features::add);
        ArrayNode deps = caps.putArray("dependencies");
        deps.add("registry");
        deps.add("filesystem-ssot");
        caps.put("udc_version", ServiceInfo.UDC_VERSION);
        ObjectNode metadata = caps.putObject("metadata");
        metadata.put("max_connections", config.maxConnections());
        metadata.put("event_retention", human(config.historyRetention()));
        metadata.put("history_size", config.historySize());
        metadata.put("supported_event_types", EVENT_TYPES.size());
        ArrayNode types = metadata.putArray("event_types");
        EVENT_TYPES.forEach(types::add);
        metadata.put("rate_limit_per_minute", config.rateLimitPerMinute());
        metadata.put("max_event_bytes", config.maxEventBytes());
        metadata.put("max_subscriptions_per_connection", config.maxSubscriptions());
        ArrayNode transports = metadata.putArray("transports");
        transports.add("websocket");
        transports.add("http");
        return caps;
    }

    ObjectNode state() {
        ObjectNode state = WireJson.mapper().createObjectNode();
        Instant now = node.options().clock().instant();
        state.put("uptime_seconds", Duration.between(node.startedAt(), now).toSeconds());
        state.put("connected_sessions", node.connectionCount());
        state.put("events_total", node.metrics().eventsTotal());
        state.put("events_per_second", Math.round(node.metrics().eventsPerSecond() * 100) / 100.0);
        state.put("errors_last_hour", node.metrics().errorsLastHour());
        state.put("last_restart", WireTime.format(node.startedAt()));
        LatencySnapshot latency = node.metrics().latency();
        state.put("event_latency_ms", latency.p50Millis());
        state.put("event_latency_p99_ms", latency.p99Millis());
        state.put("event_latency_max_ms", latency.maxMillis());
        state.put("deliveries_measured", latency.count());
        state.put("subscriptions", node.subscriptionCount());
        state.put("claimed_work", node.work().claimed().size());
        LogPosition head = node.head();
        state.put("last_seq", head.seq());
        state.put("epoch", head.epoch());
        return state;
    }

    ObjectNode dependencies() {
        ObjectNode reply = WireJson.mapper().createObjectNode();
        ArrayNode required = reply.putArray("required");
        ArrayNode optional = reply.putArray("optional");
        ArrayNode missing = reply.putArray("missing");
        for (DependencyProbe dependency : dependencies) {
            if (!dependency.configured()) {
                optional.add(dependency.describe());
            } else {
                required.add(dependency.describe());
                if (!dependency.available()) {
                    missing.add(dependency.name());
                }
            }
        }
        return reply;
    }

    private void message(RoutingContext ctx) {
        ObjectNode body = RequestReader.object(ctx);
        String type = body.path("message_type").asText("");
        if (!type.equals("query")) {
            throw new NexusException(ErrorCode.INVALID_FIELD,
                    "message_type must be 'query' (the only message this service processes), got '" + type + "'",
                    Map.of("field", "message_type"));
        }
        String query = body.path("payload").path("query").asText("");
        ObjectNode result = WireJson.mapper().createObjectNode();
        switch (query) {
            case "connected_sessions" -> result.put("connected_sessions", node.connectionCount());
            case "active_sessions" -> {
                ArrayNode sessions = result.putArray("active_sessions");
                for (SessionRecord record : node.presence().online()) {
                    sessions.add(SessionViews.session(record, node.work().heldBy(record.sessionId())));
                }
            }
            case "claimed_work" -> {
                ArrayNode claims = result.putArray("claimed_work");
                for (Claim claim : node.work().claimed()) {
                    claims.add(SessionViews.claim(claim));
                }
            }
            case "state" -> result.set("state", state());
            case "health" -> result.set("health", health());
            case "capabilities" -> result.set("capabilities", capabilities());
            case "dependencies" -> result.set("dependencies", dependencies());
            default -> throw new NexusException(ErrorCode.UNKNOWN_QUERY,
                    "unknown query '" + query + "'; supported: " + String.join(", ", QUERIES),
                    Map.of("supported", QUERIES));
        }
        ObjectNode reply = WireJson.mapper().createObjectNode();
        reply.put("status", "processed");
        if (body.hasNonNull("trace_id")) {
            reply.set("trace_id", body.get("trace_id"));
        }
        reply.set("result", result);
        replies.ok(ctx, reply);
    }

    /** "1 hour", "30 minutes", "90 seconds". */
    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0) {
            return plural(seconds / 3600, "hour");
        }
        if (seconds % 60 == 0) {
            return plural(seconds / 60, "minute");
        }
        return plural(seconds, "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
