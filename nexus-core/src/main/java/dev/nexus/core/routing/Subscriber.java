package dev.nexus.core.routing;

import dev.nexus.core.EncodedEvent;
import dev.nexus.protocol.ErrorCode;

/**
 * The transport's side of one connection, as the engine sees it: a place to put events and a way to end it.
 * Implemented by each transport (WebSocket, SSE, ...) and by in-process observers.
 *
 * <p>Threading: {@link #deliver} is called by the publishing thread while the node holds its sequencing order,
 * so events reach each subscriber in seq order. It must not block or do I/O: enqueue the shared bytes on a
 * bounded queue and return. When that queue is full the implementation applies its slow-consumer policy (for
 * WebSocket: an error frame and a disconnect); it never makes the publisher wait.
 */
public interface Subscriber {
    /** Queues one event for writing. Non-blocking; see the class contract. */
    void deliver(EncodedEvent event);

    /**
     * Asks the transport to end the connection, telling the client why (for instance {@code session_replaced}
     * when the same session connected again, or {@code shutting_down}). Non-blocking; idempotent.
     */
    void disconnect(ErrorCode reason, String message);
}
