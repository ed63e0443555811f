package dev.nexus.server.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may open a WebSocket or send a state-changing HTTP request (defence against cross-site
 * WebSocket hijacking and cross-site request forgery: a page elsewhere must not make a local user's browser
 * publish events or claim work). A request without
 * an {@code Origin} header is not from a browser and is allowed; a browser request is allowed when its origin is
 * the server itself (same host and port as the {@code Host} header) or is on the allow-list; {@code *} on the
 * list allows every origin.
 */
public final class OriginPolicy {
    private final List<String> allowed;
    private final boolean allowAll;

    public OriginPolicy(List<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(OriginPolicy::normalise).toList();
        this.allowAll = allowedOrigins.contains("*");
    }

    /** Whether the request's Origin (if any) may talk to this server; the server's own address comes from the request's authority. */
    public boolean allows(HttpServerRequest request) {
        HostAndPort authority = request.authority();
        String host = authority == null ? request.getHeader("host")
                : authority.port() >= 0 ? authority.host() + ":" + authority.port() : authority.host();
        return allows(request.getHeader("origin"), host);
    }

    /**
     * @param origin the request's Origin header, or null
     * @param host the address the request was sent to ({@code host[:port]}), or null
     */
    public boolean allows(String origin, String host) {
        if (origin == null || allowAll) {
            return true;
        }
        String normalised = normalise(origin);
        if (allowed.contains(normalised)) {
            return true;
        }
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null || host == null) {
                return false;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            String expected = (uri.getHost() + ":" + port).toLowerCase(Locale.ROOT);
            String actual = host.toLowerCase(Locale.ROOT);
            return actual.equals(expected) || (port == 80 && actual.equals(uri.getHost().toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalise(String origin) {
        String lower = origin.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
