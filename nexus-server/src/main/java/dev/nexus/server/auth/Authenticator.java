package dev.nexus.server.auth;

import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns a credential (the bearer token of an HTTP request, a WebSocket upgrade or an {@code auth} frame) into a
 * {@link Principal}. One implementation per {@code --auth} mode: {@link #none()}, {@link TokenAuthenticator},
 * {@link JwtAuthenticator}.
 *
 * <p>Contract: implementations are thread-safe and never block (no I/O: key material and token files are read
 * ahead, off the event loop), so they may be called on an event loop. They never log or echo a credential — not
 * in exceptions, not in messages. Comparisons of secrets take time independent of where they differ.
 */
public interface Authenticator extends AutoCloseable {

    /**
     * Whether a caller must present a credential. False only for {@code --auth none}, where callers without
     * one are {@link Principal#anonymous()}.
     */
    boolean required();

    /**
     * Verifies a credential.
     *
     * @param credential the token as presented (without the {@code Bearer } prefix); never null
     * @return who presented it; a session principal carries its expiry (leeway included) when it has one
     * @throws dev.nexus.protocol.NexusException {@code invalid_token} when the credential is unknown, malformed,
     *     badly signed or not yet valid, {@code token_expired} when it has expired; the message never contains
     *     the credential
     */
    Principal authenticate(String credential);

    /**
     * Registers {@code listener} to hear, while the server runs, of credentials that stopped being accepted before
     * they expired, with the sessions they belonged to, so that connections which outlive the check made when
     * they opened (WebSockets) can be closed. It is called on the authenticator's own thread, never on an event
     * loop, and must not block. The default withdraws nothing: a JWT ends by expiring.
     */
    default void onWithdrawn(Consumer<Set<String>> listener) {
    }

    /**
     * Registers {@code listener} to hear, while the server runs, that signing keys were withdrawn (a key file read
     * again, or a key set fetched again, without a key it had before), so that open connections can check their
     * credential with {@link #stillAccepts} at once rather than at their next frame or ping. It is called on the
     * authenticator's own thread, never on an event loop, and must not block. The default never calls it: its
     * credentials are not signed by keys.
     */
    default void onKeysWithdrawn(Runnable listener) {
    }

    /**
     * Whether a credential this authenticator accepted earlier is still accepted — false once the key that signed
     * it is withdrawn — so that a connection checking it (a WebSocket, before each frame and at each ping) can be
     * closed. Thread-safe, quick, never blocks. The default accepts whatever it accepted.
     */
    default boolean stillAccepts(Principal principal) {
        return true;
    }

    /** Releases what the authenticator holds (a file watcher); idempotent. The default holds nothing. */
    @Override
    default void close() {
    }

    /** {@code --auth none}: no credential needed; any credential presented is ignored. */
    static Authenticator none() {
        return OpenAuthenticator.INSTANCE;
    }
}
