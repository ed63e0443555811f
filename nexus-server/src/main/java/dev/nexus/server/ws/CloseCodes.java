package dev.nexus.server.ws;

import dev.nexus.protocol.ErrorCode;

/**
 * WebSocket close codes the server uses. Standard codes where one fits; the 4000 range for Nexus's own reasons,
 * so a client can decide whether to reconnect (it should, except after {@code session_replaced}).
 */
final class CloseCodes {
    static final short GOING_AWAY = 1001;
    static final short POLICY_VIOLATION = 1008;
    static final short SESSION_REPLACED = 4001;
    static final short SLOW_CONSUMER = 4002;
    static final short PING_TIMEOUT = 4003;
    static final short TOKEN_EXPIRED = 4004;
    static final short TOKEN_REVOKED = 4005;

    private CloseCodes() {
    }

    static short forReason(ErrorCode reason) {
        return switch (reason) {
            case SHUTTING_DOWN -> GOING_AWAY;
            case SESSION_REPLACED -> SESSION_REPLACED;
            case SLOW_CONSUMER -> SLOW_CONSUMER;
            case TOKEN_EXPIRED -> TOKEN_EXPIRED;
            case TOKEN_REVOKED -> TOKEN_REVOKED;
            default -> POLICY_VIOLATION;
        };
    }
}
