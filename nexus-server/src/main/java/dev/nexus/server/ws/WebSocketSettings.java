package dev.nexus.server.ws;

import java.time.Duration;

/**
 * Limits and timers of every WebSocket connection.
 *
 * @param maxEventBytes largest text message accepted; larger ones get {@code too_large} and the connection stays
 * @param outboundQueueBytes event bytes waiting to be written past which the client is a slow consumer
 * @param pingInterval how often the server pings
 * @param pingTimeout silence after which the connection is closed
 * @param authTimeout how long a connection that arrived without a credential has to send its {@code auth} frame
 * @param maxJsonDepth deepest JSON nesting accepted in a frame
 */
public record WebSocketSettings(int maxEventBytes, int outboundQueueBytes, Duration pingInterval, Duration pingTimeout,
        Duration authTimeout, int maxJsonDepth) {
}
