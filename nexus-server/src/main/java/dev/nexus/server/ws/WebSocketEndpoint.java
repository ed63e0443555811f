package dev.nexus.server.ws;

import dev.nexus.core.Node;
import dev.nexus.server.work.WorkDispatcher;
import dev.nexus.server.http.OriginPolicy;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.SessionId;
import dev.nexus.server.auth.Authenticator;
import dev.nexus.server.auth.Caller;
import dev.nexus.server.auth.Principal;
import dev.nexus.server.auth.TopicPolicy;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ws/session/{session_id}}: checks the upgrade (session id grammar, Origin, credential, connection
 * limits) and hands the accepted socket to a {@link WebSocketSession}. A refused upgrade gets an ordinary HTTP
 * error response with the structured JSON body. The credential, when the upgrade carries one, was resolved by
 * {@link Caller} and must belong to the session of the path (403 {@code forbidden} otherwise); when it carries
 * none and one is required, the session must send an {@code auth} frame first.
 */
public final class WebSocketEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketEndpoint.class);

    private final Node node;
    private final WebSocketSettings settings;
    private final OriginPolicy origins;
    private final ConnectionLimits limits;
    private final WorkDispatcher work;
    private final Authenticator authenticator;
    private final Supplier<TopicPolicy> topics;
    /** The sessions opened and not yet closed, so that their credentials can be checked when keys are withdrawn. */
    private final Set<WebSocketSession> open = ConcurrentHashMap.newKeySet();

    public WebSocketEndpoint(Node node, WebSocketSettings settings, OriginPolicy origins, int maxConnections,
            int maxConnectionsPerIp, Authenticator authenticator, Supplier<TopicPolicy> topics, WorkDispatcher work) {
        this.authenticator = authenticator;
        this.topics = topics;
        this.node = node;
        this.work = work;
        this.settings = settings;
        this.origins = origins;
        this.limits = new ConnectionLimits(maxConnections, maxConnectionsPerIp);
    }

    /**
     * Serves the endpoint on {@code router}, and checks every open session's credential as soon as the
     * authenticator withdraws a signing key (each on its own event loop; a session whose key went is closed with
     * {@code token_revoked}).
     */
    public void register(Router router) {
        router.get("/ws/session/:sessionId").handler(this::upgrade);
        authenticator.onKeysWithdrawn(() -> open.forEach(WebSocketSession::recheckCredential));
    }

    /** Open WebSocket connections. */
    public int openConnections() {
        return limits.open();
    }

    private void upgrade(RoutingContext ctx) {
        String sessionId = ctx.pathParam("sessionId");
        SessionId.requireValid(sessionId, "session id");
        if (!ctx.request().canUpgradeToWebSocket()) {
            throw new NexusException(ErrorCode.INVALID_FRAME,
                    "this endpoint speaks WebSocket: connect with a WebSocket client to ws://…/ws/session/" + sessionId);
        }
        String origin = ctx.request().getHeader("origin");
        if (!origins.allows(ctx.request())) {
            throw new NexusException(ErrorCode.ORIGIN_FORBIDDEN, "origin '" + origin
                    + "' may not open WebSockets here; the operator can allow it with --allowed-origins",
                    Map.of("origin", origin));
        }
        Principal principal = Caller.find(ctx);
        if (principal != null) {
            principal.requireActingAs(sessionId);
        }
        String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        if (!limits.tryAcquire(address)) {
            throw new NexusException(ErrorCode.TOO_MANY_CONNECTIONS,
                    "connection limit reached (total or for your address); try again later");
        }
        Context context = Vertx.currentContext();
        ctx.request().toWebSocket().onComplete(result -> {
            if (result.failed()) {
                limits.release(address);
                LOG.debug("websocket upgrade for {} failed: {}", sessionId, result.cause().toString());
                return;
            }
            WebSocketSession session = new WebSocketSession(result.result(), context, node, settings,
                    new SessionAuth(sessionId, authenticator, principal, node.options().clock()), topics, work,
                    closed -> {
                        open.remove(closed);
                        limits.release(address);
                    });
            // listed before it opens, so a key withdrawn meanwhile is checked too (on this loop, after open)
            open.add(session);
            try {
                session.open();
            } catch (NexusException e) {
                open.remove(session);
                result.result().close(CloseCodes.GOING_AWAY, e.code().code());
                limits.release(address);
            }
        });
    }
}
