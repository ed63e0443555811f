package dev.nexus.server.auth;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How callers authenticate ({@code --auth} and the options that go with it). The compact constructor refuses
 * combinations that cannot work, with a message naming the option.
 *
 * @param mode {@code none}, {@code token} or {@code jwt}
 * @param tokensFile {@code token} mode: a JSON object {@code {"<session_id>": "<token>"}} or a
 *     {@code claude_sessions.json} whose entries carry a {@code token}; reloaded when it changes
 * @param jwtSecretFile {@code jwt} mode: a file holding the HS256 secret (at least 32 bytes); may be null
 * @param jwtKeyFile {@code jwt} mode: a PEM public key or certificate (RS256 or ES256 on P-256) or a JWKS file;
 *     may be null
 * @param jwtJwksUrl {@code jwt} mode: where the identity provider publishes its JWKS (https, or http to a loopback
 *     address), fetched at start and kept current; may be null. Exactly one of the three key sources is set.
 * @param jwtIssuer the required {@code iss}; null to accept any
 * @param jwtAudience a required entry of {@code aud}; null to accept any
 * @param jwtLeeway clock skew tolerated on {@code exp} and {@code nbf}, at most 60 s
 * @param queryTokens whether a WebSocket upgrade may carry its token as {@code ?access_token=} (off: URLs end up
 *     in logs and browser history)
 * @param authTimeout how long a WebSocket that arrived without a credential has to send its {@code auth} frame
 */
public record AuthSettings(
        AuthMode mode,
        Path tokensFile,
        Path jwtSecretFile,
        Path jwtKeyFile,
        URI jwtJwksUrl,
        String jwtIssuer,
        String jwtAudience,
        Duration jwtLeeway,
        boolean queryTokens,
        Duration authTimeout) {

    public static final Duration MAX_LEEWAY = Duration.ofSeconds(60);

    public AuthSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(jwtLeeway, "jwtLeeway");
        Objects.requireNonNull(authTimeout, "authTimeout");
        jwtIssuer = blankToNull(jwtIssuer);
        jwtAudience = blankToNull(jwtAudience);
        if (jwtLeeway.isNegative() || jwtLeeway.compareTo(MAX_LEEWAY) > 0) {
            throw new IllegalArgumentException("--jwt-leeway must be between 0s and 60s, got " + jwtLeeway);
        }
        if (authTimeout.isNegative() || authTimeout.isZero()) {
            throw new IllegalArgumentException("--auth-timeout must be positive");
        }
        if (mode == AuthMode.TOKEN && tokensFile == null) {
            throw new IllegalArgumentException("--auth token needs --tokens-file");
        }
        int keySources = (jwtSecretFile != null ? 1 : 0) + (jwtKeyFile != null ? 1 : 0) + (jwtJwksUrl != null ? 1 : 0);
        if (mode == AuthMode.JWT && keySources != 1) {
            throw new IllegalArgumentException("--auth jwt needs exactly one of --jwt-secret-file (HS256), "
                    + "--jwt-key-file (RS256/ES256 public key, PEM or JWKS) and --jwt-jwks-url (the identity "
                    + "provider's JWKS)");
        }
        if (jwtJwksUrl != null) {
            RemoteJwks.requireSafe(jwtJwksUrl);
        }
    }

    /** Authentication off (the default, allowed on loopback only). */
    public static AuthSettings none() {
        return new AuthSettings(AuthMode.NONE, null, null, null, null, null, null, Duration.ofSeconds(30), false,
                Duration.ofSeconds(5));
    }

    /** {@code --auth token} with this file and the other settings as they are. */
    public AuthSettings withTokens(Path file) {
        return new AuthSettings(AuthMode.TOKEN, file, null, null, null, jwtIssuer, jwtAudience, jwtLeeway, queryTokens,
                authTimeout);
    }

    /** {@code --auth jwt} with an HS256 secret file or a public key file (exactly one non-null). */
    public AuthSettings withJwt(Path secretFile, Path keyFile, String issuer, String audience, Duration leeway) {
        return new AuthSettings(AuthMode.JWT, null, secretFile, keyFile, null, issuer, audience, leeway, queryTokens,
                authTimeout);
    }

    /** {@code --auth jwt} with the keys the identity provider publishes at {@code jwksUrl}. */
    public AuthSettings withJwksUrl(URI jwksUrl, String issuer, String audience, Duration leeway) {
        return new AuthSettings(AuthMode.JWT, null, null, null, jwksUrl, issuer, audience, leeway, queryTokens,
                authTimeout);
    }

    public AuthSettings withQueryTokens(boolean allowed) {
        return new AuthSettings(mode, tokensFile, jwtSecretFile, jwtKeyFile, jwtJwksUrl, jwtIssuer, jwtAudience,
                jwtLeeway, allowed, authTimeout);
    }

    public AuthSettings withAuthTimeout(Duration timeout) {
        return new AuthSettings(mode, tokensFile, jwtSecretFile, jwtKeyFile, jwtJwksUrl, jwtIssuer, jwtAudience,
                jwtLeeway, queryTokens, timeout);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
