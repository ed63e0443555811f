package dev.nexus.server.auth;

import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who sent an HTTP request. Installed once in front of every route: it resolves the request's credential with
 * the {@link Authenticator} and keeps the {@link Principal} in the routing context, so routes never parse
 * credentials themselves. Without a credential, when one is required, a request is refused with 401
 * {@code auth_required} — except {@code GET /health} and {@code GET /capabilities} (discovery probes),
 * WebSocket upgrades, whose endpoint accepts the credential in a first {@code auth} frame instead, and the
 * {@code /admin/} endpoints, which carry the operator's admin token rather than a session's credential and check it
 * themselves.
 *
 * <p>Routes then use the one check, {@link #requireActingAs(RoutingContext, String)}: a request naming a
 * {@code session_id} to act as (publish, claim, release, complete, read an inbox) must come from that session.
 */
public final class Caller implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(Caller.class);
    private static final String KEY = "nexus.principal";
    private static final Set<String> PUBLIC_GETS = Set.of("/health", "/capabilities");
    private static final String WEBSOCKET_PREFIX = "/ws/";
    private static final String ADMIN_PREFIX = "/admin/";

    private final Authenticator authenticator;
    private final boolean queryTokens;

    /** @param queryTokens whether WebSocket upgrades may carry {@code ?access_token=} */
    public Caller(Authenticator authenticator, boolean queryTokens) {
        this.authenticator = authenticator;
        this.queryTokens = queryTokens;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!authenticator.required() || ctx.request().path().startsWith(ADMIN_PREFIX)) {
            // --auth none: headers are not even looked at, so clients behave exactly as without authentication;
            // admin endpoints: the Authorization header holds the admin token, checked by the admin routes
            ctx.put(KEY, Principal.anonymous());
            ctx.next();
            return;
        }
        boolean webSocket = ctx.request().path().startsWith(WEBSOCKET_PREFIX);
        String credential;
        try {
            credential = Credentials.of(ctx.request(), queryTokens && webSocket);
        } catch (NexusException e) {
            challenge(ctx);
            throw e;
        }
        if (credential != null) {
            try {
                ctx.put(KEY, authenticator.authenticate(credential));
            } catch (NexusException e) {
                // the message never holds the credential (Authenticator contract)
                LOG.debug("refused the credential of {} {} from {}: {} ({})", ctx.request().method(),
                        ctx.request().path(), ctx.request().remoteAddress(), e.code().code(), e.getMessage());
                challenge(ctx);
                throw e;
            }
        } else if (!webSocket && !isPublic(ctx)) {
            challenge(ctx);
            throw new NexusException(ErrorCode.AUTH_REQUIRED,
                    "this server requires a credential: send Authorization: Bearer <token>");
        }
        ctx.next();
    }

    /** The request's principal, or null when it carried no credential (public endpoints, WebSocket upgrades). */
    public static Principal find(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    /**
     * The request's principal.
     *
     * @throws NexusException {@code auth_required} when the request carried no credential
     */
    public static Principal of(RoutingContext ctx) {
        Principal principal = find(ctx);
        if (principal == null) {
            challenge(ctx);
            throw new NexusException(ErrorCode.AUTH_REQUIRED,
                    "this server requires a credential: send Authorization: Bearer <token>");
        }
        return principal;
    }

    /**
     * The one check routes use before acting for a session: returns {@code sessionId} when the caller may act
     * as it (its own credential, or authentication off).
     *
     * @throws NexusException {@code auth_required} (401) without a credential, {@code forbidden} (403) when the
     *     credential is another session's
     */
    public static String requireActingAs(RoutingContext ctx, String sessionId) {
        return of(ctx).requireActingAs(sessionId);
    }

    private static boolean isPublic(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        return (method == HttpMethod.GET || method == HttpMethod.HEAD) && PUBLIC_GETS.contains(ctx.request().path());
    }

    private static void challenge(RoutingContext ctx) {
        if (!ctx.response().headWritten()) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"nexus\"");
        }
    }
}
