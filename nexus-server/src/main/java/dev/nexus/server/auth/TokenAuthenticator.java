package dev.nexus.server.auth;

import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code --auth token}: a credential is valid when it equals the token of one session in the tokens file; the
 * caller is that session. Tokens are kept only as SHA-256 digests and every digest is compared, in constant time,
 * on every call, so neither the time taken nor the order of the file tells an attacker how close a guess came.
 * The set of tokens comes from a {@link TokenFile}, which reloads it when the file changes.
 */
public final class TokenAuthenticator implements Authenticator {
    private final TokenFile file;

    public TokenAuthenticator(TokenFile file) {
        this.file = file;
    }

    @Override
    public boolean required() {
        return true;
    }

    @Override
    public Principal authenticate(String credential) {
        byte[] presented = digest(credential);
        String match = null;
        for (TokenFile.Entry entry : file.entries()) {
            // no early exit: every entry costs the same whether or not an earlier one matched
            if (MessageDigest.isEqual(presented, entry.digest()) && match == null) {
                match = entry.sessionId();
            }
        }
        if (match == null) {
            throw new NexusException(ErrorCode.INVALID_TOKEN, "the token is not valid for any session");
        }
        return Principal.session(match, null);
    }

    /** {@inheritDoc} Here: sessions whose token a reload of the tokens file removed or replaced. */
    @Override
    public void onWithdrawn(Consumer<Set<String>> listener) {
        file.onWithdrawn(listener);
    }

    @Override
    public void close() {
        file.close();
    }

    static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Session ids with a token, for diagnostics; never the tokens. */
    List<String> sessions() {
        return file.entries().stream().map(TokenFile.Entry::sessionId).toList();
    }
}
