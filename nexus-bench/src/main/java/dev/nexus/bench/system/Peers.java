package dev.nexus.bench.system;

import java.net.URI;

/** The peer systems {@code --against} accepts: {@code nats://host:port} and {@code redis://host:port}. */
public final class Peers {
    private Peers() {
    }

    /** A client for the peer at {@code url}; throws {@link IllegalArgumentException} for another scheme. */
    public static PubSub connect(URI url, int eventLoops) {
        String scheme = url.getScheme() == null ? "" : url.getScheme();
        return switch (scheme) {
            case "nats" -> new NatsPubSub(url);
            case "redis" -> new RedisPubSub(url, eventLoops);
            default -> throw new IllegalArgumentException("--against must be nats://host:port or redis://host:port, got '" + url + "'");
        };
    }
}
