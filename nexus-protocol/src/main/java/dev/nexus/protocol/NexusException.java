package dev.nexus.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A refusal that a client should see: a stable {@link ErrorCode}, a human sentence, and optional details
 * (for example {@code claimed_by} on a claim conflict). Transports turn it into the structured error body
 * {@code {"error": code, "message": ..., ...details}}; it never means the server is broken.
 */
public final class NexusException extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, Object> details;

    public NexusException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public NexusException(ErrorCode code, String message, Map<String, ?> details) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /**
     * The refusal behind a failure: the failure itself, or the cause it wraps (as a failed
     * {@code CompletableFuture} stage wraps it); null when the failure is something else (a bug).
     */
    public static NexusException in(Throwable failure) {
        if (failure instanceof NexusException e) {
            return e;
        }
        return failure != null && failure.getCause() instanceof NexusException e ? e : null;
    }

    public ErrorCode code() {
        return code;
    }

    /** Extra fields of the error body, in insertion order; never null. */
    public Map<String, Object> details() {
        return details;
    }
}
