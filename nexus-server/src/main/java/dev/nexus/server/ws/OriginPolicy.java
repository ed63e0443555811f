package dev.nexus.server.ws;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may open a WebSocket (defence against cross-site WebSocket hijacking). A request without
 * an {@code Origin} header is not from a browser and is allowed; a browser request is allowed when its origin is
 * the server itself (same host and port as the {@code Host} header) or is on the allow-list; {@code *} on the
 * list allows every origin.
 */
final class OriginPolicy {
    private final List<String> allowed;
    private final boolean allowAll;

    OriginPolicy(List<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(OriginPolicy::normalise).toList();
        this.allowAll = allowedOrigins.contains("*");
    }

    boolean allows(String origin, String host) {
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
