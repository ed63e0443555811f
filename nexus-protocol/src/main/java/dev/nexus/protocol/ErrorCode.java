package dev.nexus.protocol;

/**
 * The stable error codes of the wire contract. A code never changes meaning once published; clients switch on
 * {@link #code()}, people read the message that accompanies it. Each code carries the HTTP status used when the
 * error is returned over HTTP; over WebSocket the same code travels in an {@code error} frame.
 */
public enum ErrorCode {
    MALFORMED_JSON("malformed_json", 400),
    INVALID_FRAME("invalid_frame", 400),
    UNKNOWN_ACTION("unknown_action", 400),
    INVALID_PARAMETER("invalid_parameter", 400),
    MISSING_FIELD("missing_field", 422),
    INVALID_FIELD("invalid_field", 422),
    INVALID_TOPIC("invalid_topic", 422),
    INVALID_PATTERN("invalid_pattern", 422),
    INVALID_PAYLOAD("invalid_payload", 422),
    INVALID_SESSION_ID("invalid_session_id", 422),
    RESERVED_TOPIC("reserved_topic", 422),
    UNKNOWN_QUERY("unknown_query", 422),
    TOO_MANY_SUBSCRIPTIONS("too_many_subscriptions", 422),
    TOO_LARGE("too_large", 413),
    RATE_LIMITED("rate_limited", 429),
    INBOX_FULL("inbox_full", 429),
    NOT_FOUND("not_found", 404),
    SESSION_NOT_FOUND("session_not_found", 404),
    CLAIM_NOT_FOUND("claim_not_found", 404),
    CLAIM_CONFLICT("claim_conflict", 409),
    AUTH_REQUIRED("auth_required", 401),
    INVALID_TOKEN("invalid_token", 401),
    TOKEN_EXPIRED("token_expired", 401),
    TOKEN_REVOKED("token_revoked", 401),
    FORBIDDEN("forbidden", 403),
    FORBIDDEN_TOPIC("forbidden_topic", 403),
    NOT_CLAIM_HOLDER("not_claim_holder", 403),
    STALE_TOKEN("stale_token", 409),
    RESERVATION_CONFLICT("reservation_conflict", 409),
    WORK_NOT_FOUND("work_not_found", 404),
    WORK_EXISTS("work_exists", 409),
    WORK_QUEUED("work_queued", 409),
    WORK_FINISHED("work_finished", 409),
    QUEUE_FULL("queue_full", 503),
    SERVER_BUSY("server_busy", 503),
    ADMIN_DISABLED("admin_disabled", 403),
    ORIGIN_FORBIDDEN("origin_forbidden", 403),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
    TOO_MANY_CONNECTIONS("too_many_connections", 503),
    SESSION_REPLACED("session_replaced", 409),
    SLOW_CONSUMER("slow_consumer", 503),
    SHUTTING_DOWN("shutting_down", 503),
    STORE_UNAVAILABLE("store_unavailable", 503),
    INTERNAL_ERROR("internal_error", 500);

    private final String code;
    private final int httpStatus;

    ErrorCode(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The string clients see in the {@code error} field. */
    public String code() {
        return code;
    }

    /** The HTTP status that accompanies this error over HTTP. */
    public int httpStatus() {
        return httpStatus;
    }
}
