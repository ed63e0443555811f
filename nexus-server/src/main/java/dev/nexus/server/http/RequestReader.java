package dev.nexus.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.PayloadKeepingParser;
import dev.nexus.protocol.WireJson;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads request bodies and query parameters, refusing malformed ones with {@code 400}. */
public final class RequestReader {
    private static final String MAX_DEPTH = "nexus.maxJsonDepth";

    private RequestReader() {
    }

    /** A handler, installed before the routes, that makes request bodies refuse nesting deeper than {@code maxDepth}. */
    public static Handler<RoutingContext> depthLimit(int maxDepth) {
        return ctx -> {
            ctx.put(MAX_DEPTH, maxDepth);
            ctx.next();
        };
    }

    /** The body as a JSON object. */
    static ObjectNode object(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        Integer maxDepth = ctx.get(MAX_DEPTH);
        return object(body == null ? new byte[0] : body.getBytes(),
                maxDepth == null ? WireJson.MAX_NESTING_DEPTH : maxDepth);
    }

    /**
     * A body's bytes as a JSON object.
     *
     * @throws NexusException {@code malformed_json} for anything else; never another exception
     */
    static ObjectNode object(byte[] body) {
        return object(body, WireJson.MAX_NESTING_DEPTH);
    }

    private static ObjectNode object(byte[] body, int maxDepth) {
        if (body.length == 0) {
            throw new NexusException(ErrorCode.MALFORMED_JSON, "request body must be a JSON object; it is empty");
        }
        JsonNode tree;
        try {
            tree = PayloadKeepingParser.parseUtf8(body, maxDepth);
        } catch (JacksonException e) {
            throw new NexusException(ErrorCode.MALFORMED_JSON, "request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new NexusException(ErrorCode.MALFORMED_JSON, "request body could not be read: " + e.getMessage());
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new NexusException(ErrorCode.MALFORMED_JSON, "request body must be a JSON object");
        }
        return object;
    }

    /** A single-valued query parameter, or null when absent; repeated → 400. */
    static String param(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw invalid(name, name + " may be given once");
        }
        return values.get(0);
    }

    static int intParam(RoutingContext ctx, String name, int defaultValue, int min, int max) {
        String text = param(ctx, name);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(name, name + " must be an integer from " + min + " to " + max + ", got '" + text + "'");
    }

    static long longParam(RoutingContext ctx, String name, long min, long max) {
        String text = param(ctx, name);
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(name, name + " must be an integer from " + min + " to " + max + ", got '" + text + "'");
    }

    static Boolean booleanParam(RoutingContext ctx, String name) {
        String text = param(ctx, name);
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw invalid(name, name + " must be true or false, got '" + text + "'");
        };
    }

    static NexusException invalid(String name, String message) {
        return new NexusException(ErrorCode.INVALID_PARAMETER, message, Map.of("parameter", name));
    }
}
