package dev.nexus.server.ws;

import dev.nexus.server.auth.Authenticator;
import dev.nexus.server.auth.Principal;
import java.time.Clock;

/**
 * The credential state of one WebSocket: who it is authenticated as (null until an {@code auth} frame when the
 * upgrade carried no credential), and whether that credential has expired. A later {@code auth} frame replaces
 * the credential — it must belong to the same session — which is how a client refreshes an expiring token, or
 * replaces one whose signing key is being withdrawn.
 * Used from the connection's event loop only.
 */
final class SessionAuth {
    private final String sessionId;
    private final Authenticator authenticator;
    private final Clock clock;
    private Principal principal;

    /** @param principal the credential of the upgrade, or null when the connection must send an {@code auth} frame */
    SessionAuth(String sessionId, Authenticator authenticator, Principal principal, Clock clock) {
        this.sessionId = sessionId;
        this.authenticator = authenticator;
        this.principal = principal;
        this.clock = clock;
    }

    String sessionId() {
        return sessionId;
    }

    boolean authenticated() {
        return principal != null;
    }

    /**
     * Verifies {@code token} and makes it the connection's credential.
     *
     * @throws dev.nexus.protocol.NexusException {@code invalid_token}, {@code token_expired}, or {@code forbidden}
     *     when the token is another session's; the previous credential stays then
     */
    Principal authenticate(String token) {
        Principal presented = authenticator.authenticate(token);
        presented.requireActingAs(sessionId);
        principal = presented;
        return presented;
    }

    /** Whether the connection's credential has run out. */
    boolean expired() {
        return principal != null && principal.expiredAt(clock.instant());
    }

    /** Whether the connection's credential is no longer accepted although it has not expired (its key withdrawn). */
    boolean withdrawn() {
        return principal != null && !authenticator.stillAccepts(principal);
    }
}
