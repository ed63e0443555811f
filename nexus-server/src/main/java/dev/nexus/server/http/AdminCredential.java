package dev.nexus.server.http;

import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.server.Secret;
import io.vertx.core.http.HttpServerRequest;

/**
 * The operator's credential: {@code Authorization: Bearer <admin token>}, checked against {@code --admin-token}
 * in constant time. Without a configured token every admin request is refused with 403 {@code admin_disabled};
 * with one, a request without it or with another is refused with 401 {@code unauthorized}. The token is never
 * logged nor echoed.
 */
public final class AdminCredential {
    private static final String BEARER = "bearer ";

    private final Secret token;

    /** @param token the configured token; null when admin endpoints are off */
    public AdminCredential(Secret token) {
        this.token = token;
    }

    /** @throws NexusException {@code admin_disabled}, {@code auth_required} or {@code invalid_token} unless the request carries the token */
    public void require(HttpServerRequest request) {
        if (token == null) {
            throw new NexusException(ErrorCode.ADMIN_DISABLED,
                    "admin endpoints are off; the operator enables them with --admin-token (or NEXUS_ADMIN_TOKEN)");
        }
        String header = request.getHeader("authorization");
        String presented = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : null;
        if (presented == null || presented.isEmpty()) {
            throw new NexusException(ErrorCode.AUTH_REQUIRED,
                    "admin endpoints need the header 'Authorization: Bearer <admin token>'");
        }
        if (!token.matches(presented)) {
            throw new NexusException(ErrorCode.INVALID_TOKEN, "that is not the admin token");
        }
    }
}
