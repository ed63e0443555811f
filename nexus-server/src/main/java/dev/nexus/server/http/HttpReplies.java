package dev.nexus.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.core.metrics.NodeMetrics;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.JsonTreeWriter;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.ServerFrames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes JSON responses, and errors in the one structured shape {@code {"error", "message", …details}} with
 * the status of their code (and {@code Retry-After} when rate limited). Every error is counted in the metrics.
 */
public final class HttpReplies {
    private static final Logger LOG = LoggerFactory.getLogger(HttpReplies.class);

    private final NodeMetrics metrics;

    public HttpReplies(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    public void json(RoutingContext ctx, int status, JsonNode body) {
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-store")
                .end(Buffer.buffer(JsonTreeWriter.bytes(body)));
    }

    public void ok(RoutingContext ctx, JsonNode body) {
        json(ctx, 200, body);
    }

    public void error(RoutingContext ctx, NexusException e) {
        metrics.errorReturned();
        if (e.code() == ErrorCode.RATE_LIMITED && e.details().get("retry_after_ms") instanceof Long millis) {
            ctx.response().putHeader("retry-after", Long.toString(Math.max(1, (millis + 999) / 1000)));
        }
        json(ctx, e.code().httpStatus(), ServerFrames.errorBody(e));
    }

    /** Answers a failure that escaped a handler: a {@link NexusException} as itself, anything else as 500. */
    public void failure(RoutingContext ctx, Throwable failure) {
        NexusException refusal = NexusException.in(failure);
        if (refusal != null) {
            error(ctx, refusal);
        } else {
            LOG.error("unexpected failure serving {} {}", ctx.request().method(), ctx.request().path(), failure);
            error(ctx, new NexusException(ErrorCode.INTERNAL_ERROR, "the server failed to handle this request"));
        }
    }
}
