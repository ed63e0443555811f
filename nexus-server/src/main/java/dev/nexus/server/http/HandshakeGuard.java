package dev.nexus.server.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds connections that are open but have not yet sent a complete first request (a slow-loris client
 * trickling its headers, or one that connects and says nothing): at most {@code maxInFlight} at a time — past
 * that a new connection is closed at once — and each gets {@code timeout} to deliver its first request's headers
 * before it is closed. A connection leaves the count when its first request arrives or when it closes.
 * (TLS handshakes before that point are bounded by the server's TLS handshake timeout, the same duration.)
 * Thread-safe: called on the connections' event loops.
 */
public final class HandshakeGuard {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeGuard.class);

    private final Vertx vertx;
    private final int maxInFlight;
    private final long timeoutMillis;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Connections awaiting their first request, with the timer that drops them. */
    private final ConcurrentHashMap<HttpConnection, Long> pending = new ConcurrentHashMap<>();

    public HandshakeGuard(Vertx vertx, int maxInFlight, Duration timeout) {
        this.vertx = vertx;
        this.maxInFlight = maxInFlight;
        this.timeoutMillis = timeout.toMillis();
    }

    /** A new connection: counted, timed, or closed at once when too many are already waiting. */
    public void accepted(HttpConnection connection) {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            LOG.debug("closing a new connection from {}: {} connections are already waiting for their first request",
                    connection.remoteAddress(), maxInFlight);
            connection.close();
            return;
        }
        long timer = vertx.setTimer(timeoutMillis, id -> {
            if (settle(connection)) {
                LOG.debug("closing connection from {}: no complete request within {} ms", connection.remoteAddress(),
                        timeoutMillis);
                connection.close();
            }
        });
        pending.put(connection, timer);
        connection.closeHandler(v -> {
            Long t = pending.get(connection);
            if (settle(connection) && t != null) {
                vertx.cancelTimer(t);
            }
        });
    }

    /** A request's headers arrived on {@code connection}: it is past its handshake. */
    public void requested(HttpConnection connection) {
        Long timer = pending.get(connection);
        if (timer != null && settle(connection)) {
            vertx.cancelTimer(timer);
        }
    }

    /** Connections now waiting for their first request. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Removes the connection from the waiting set; true for the one caller that did. */
    private boolean settle(HttpConnection connection) {
        if (pending.remove(connection) != null) {
            inFlight.decrementAndGet();
            return true;
        }
        return false;
    }
}
