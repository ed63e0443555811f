package dev.nexus.server.auth;

import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Who is making a request, as established by an {@link Authenticator}: resolved once per HTTP request or
 * WebSocket connection, then checked by every message.
 *
 * @param kind what the credential proved
 * @param sessionId the session the credential belongs to; null for {@link Kind#ANONYMOUS} and {@link Kind#ADMIN}
 * @param expiresAt when the credential stops being valid (leeway included); null when it does not expire
 * @param signingKey the fingerprint of the key that verified the credential (a JWT), which the
 *     {@link Authenticator} can later say is no longer in force; null for other credentials
 */
public record Principal(Kind kind, String sessionId, Instant expiresAt, String signingKey) {

    /** What a credential proved. */
    public enum Kind {
        /** Authentication is off ({@code --auth none}): the caller may act as any session, as before. */
        ANONYMOUS,
        /** A session's own credential: it may act as that session only. */
        SESSION,
        /** The operator's credential: operator endpoints; it acts as no session. */
        ADMIN
    }

    private static final Principal ANONYMOUS = new Principal(Kind.ANONYMOUS, null, null, null);
    private static final Principal ADMIN = new Principal(Kind.ADMIN, null, null, null);

    public Principal {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.SESSION) != (sessionId != null)) {
            throw new IllegalArgumentException("a session principal, and only one, names its session");
        }
    }

    /** The caller when authentication is off. */
    public static Principal anonymous() {
        return ANONYMOUS;
    }

    /** The operator. */
    public static Principal admin() {
        return ADMIN;
    }

    /** A session's credential, valid until {@code expiresAt} (null: no expiry). */
    public static Principal session(String sessionId, Instant expiresAt) {
        return session(sessionId, expiresAt, null);
    }

    /** A session's credential, valid until {@code expiresAt} and while the key {@code signingKey} is in force. */
    public static Principal session(String sessionId, Instant expiresAt, String signingKey) {
        return new Principal(Kind.SESSION, Objects.requireNonNull(sessionId, "sessionId"), expiresAt, signingKey);
    }

    /** Whether this caller may act as (publish as, claim, release and complete for, read the inbox of) that session. */
    public boolean mayActAs(String actingSessionId) {
        return kind == Kind.ANONYMOUS || (kind == Kind.SESSION && sessionId.equals(actingSessionId));
    }

    /**
     * The one check for "the acting session must be the caller": returns {@code actingSessionId} when this
     * caller may act as it.
     *
     * @throws NexusException {@code forbidden} (403) naming both sessions otherwise
     */
    public String requireActingAs(String actingSessionId) {
        if (mayActAs(actingSessionId)) {
            return actingSessionId;
        }
        String who = kind == Kind.ADMIN ? "the admin credential" : "session '" + sessionId + "'";
        throw new NexusException(ErrorCode.FORBIDDEN, who + " may not act as session '" + actingSessionId
                + "': a session acts only as itself", Map.of("session_id", actingSessionId));
    }

    /**
     * @throws NexusException {@code forbidden} unless this is the operator (or authentication is off)
     */
    public void requireAdmin() {
        if (kind == Kind.SESSION) {
            throw new NexusException(ErrorCode.FORBIDDEN, "this endpoint needs the admin credential");
        }
    }

    /** Whether the credential has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
