package dev.nexus.server.auth;

import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Locale;

/** Finds the credential a request carries: {@code Authorization: Bearer …}, or (when allowed) {@code ?access_token=}. */
final class Credentials {
    private static final String BEARER = "bearer ";

    private Credentials() {
    }

    /**
     * @param queryTokens whether {@code access_token} in the query string counts (WebSocket upgrades only)
     * @return the credential, or null when the request carries none
     * @throws NexusException {@code invalid_token} for an {@code Authorization} header that is not one bearer
     *     token
     */
    static String of(HttpServerRequest request, boolean queryTokens) {
        List<String> headers = request.headers().getAll("authorization");
        if (headers.size() > 1) {
            throw new NexusException(ErrorCode.INVALID_TOKEN, "send one Authorization header");
        }
        if (headers.size() == 1) {
            String header = headers.get(0).strip();
            if (!header.toLowerCase(Locale.ROOT).startsWith(BEARER) || header.length() == BEARER.length()) {
                throw new NexusException(ErrorCode.INVALID_TOKEN, "the Authorization header must be 'Bearer <token>'");
            }
            return header.substring(BEARER.length()).strip();
        }
        if (queryTokens) {
            List<String> values = request.params().getAll("access_token");
            if (values.size() == 1 && !values.get(0).isEmpty()) {
                return values.get(0);
            }
        }
        return null;
    }
}
