package dev.nexus.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.SessionId;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --auth jwt}: a credential is a compact JWS (RFC 7515) signed with one of the configured
 * {@link PinnedKey}s, following RFC 8725: the header's {@code alg} must be the algorithm pinned to the key
 * ({@code none}, or HS256 against an RSA key, never verifies); {@code exp} is required; {@code nbf} is honoured;
 * {@code iss} and {@code aud} must match when configured; {@code sub} is the session id. Expiry and
 * not-before are checked against the injected clock with the configured leeway (at most 60 s), and the
 * principal's expiry is {@code exp + leeway}, after which a WebSocket authenticated with it is closed unless it
 * sent a fresh token.
 *
 * <p>The key file ({@code --jwt-secret-file} or {@code --jwt-key-file}) is read again within a second of a change,
 * so keys rotate without a restart (publish the new key beside the old one, then drop the old one); a version
 * that cannot be used is logged and the previous keys stay. A principal records the fingerprint of the key that
 * verified it, and {@link #stillAccepts} is false once no current key has that fingerprint; the
 * {@link #onKeysWithdrawn} listeners are told when new keys leave one out, so WebSockets authenticated with a
 * withdrawn key are closed then (and in any case at their next frame or ping).
 */
public final class JwtAuthenticator implements Authenticator {
    /** Longest token read; a longer one is refused before parsing. */
    public static final int MAX_TOKEN_LENGTH = 8192;

    private static final Logger LOG = LoggerFactory.getLogger(JwtAuthenticator.class);

    private volatile List<PinnedKey> keys;
    private final List<Runnable> keyWithdrawalListeners = new CopyOnWriteArrayList<>();
    /** Where the keys come from and are kept current (a watched file, a JWKS URL); null for fixed keys. */
    private final AutoCloseable keySource;
    /** Told when a token names a key id no key has; a remote JWKS then fetches again. */
    private final Runnable unknownKeyId;
    private final String issuer;
    private final String audience;
    private final Duration leeway;
    private final Clock clock;

    /** With fixed keys. */
    JwtAuthenticator(List<PinnedKey> keys, String issuer, String audience, Duration leeway, Clock clock) {
        this(keys, null, () -> { }, issuer, audience, leeway, clock);
    }

    /**
     * @param keySource where the keys come from and are kept current; closed with this authenticator
     * @param unknownKeyId told when a token names a key id no key has
     */
    private JwtAuthenticator(List<PinnedKey> keys, AutoCloseable keySource, Runnable unknownKeyId, String issuer,
            String audience, Duration leeway, Clock clock) {
        this.keys = List.copyOf(keys);
        this.keySource = keySource;
        this.unknownKeyId = unknownKeyId;
        this.issuer = issuer;
        this.audience = audience;
        this.leeway = Objects.requireNonNull(leeway, "leeway");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no JWT verification keys");
        }
    }

    /**
     * The authenticator the settings describe, its keys read now.
     *
     * @throws IllegalArgumentException with a sentence for the operator when a key cannot be used
     */
    public static JwtAuthenticator create(AuthSettings settings, Clock clock) {
        return create(settings, clock, Authenticators.FILE_POLL);
    }

    /** {@link #create(AuthSettings, Clock)}, checking the key file for a change every {@code pollInterval}. */
    static JwtAuthenticator create(AuthSettings settings, Clock clock, Duration pollInterval) {
        if (settings.jwtJwksUrl() != null) {
            return create(settings, clock, RemoteJwks.REFRESH, RemoteJwks.MIN_INTERVAL);
        }
        Path file = settings.jwtSecretFile() != null ? settings.jwtSecretFile() : settings.jwtKeyFile();
        WatchedFile watched = new WatchedFile(file);
        Supplier<List<PinnedKey>> read = settings.jwtSecretFile() != null ? () -> JwtKeys.secret(file)
                : () -> JwtKeys.publicKeys(file);
        JwtAuthenticator authenticator = new JwtAuthenticator(read.get(), watched, () -> { }, settings.jwtIssuer(),
                settings.jwtAudience(), settings.jwtLeeway(), clock);
        watched.watch(pollInterval, "nexus-jwt-keys", () -> authenticator.reloadKeys(read, file));
        return authenticator;
    }

    /**
     * With the keys of {@code --jwt-jwks-url}, fetched now and every {@code refresh}, and again (at most once per
     * {@code minInterval}) when a token names an unknown key id.
     */
    static JwtAuthenticator create(AuthSettings settings, Clock clock, Duration refresh, Duration minInterval) {
        RemoteJwks.Fetched fetched = RemoteJwks.open(settings.jwtJwksUrl(), minInterval);
        JwtAuthenticator authenticator = new JwtAuthenticator(fetched.keys(), fetched.jwks(),
                fetched.jwks()::unknownKeyId, settings.jwtIssuer(), settings.jwtAudience(), settings.jwtLeeway(), clock);
        fetched.jwks().keepCurrent(refresh, keys -> {
            authenticator.replaceKeys(keys);
            LOG.info("JWT keys fetched from {}: {} key(s)", settings.jwtJwksUrl(), keys.size());
        });
        return authenticator;
    }

    private void reloadKeys(Supplier<List<PinnedKey>> read, Path file) {
        try {
            List<PinnedKey> loaded = read.get();
            if (loaded.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no key");
            }
            replaceKeys(loaded);
            LOG.info("JWT keys reloaded from {}: {} key(s)", file, loaded.size());
        } catch (IllegalArgumentException e) {
            // the message names the file and what is wrong with it, never key material
            LOG.warn("{}; the previous JWT keys stay in force", e.getMessage());
        }
    }

    /** Puts {@code next} in force, then tells the listeners if a key in force until now is not among them. */
    private void replaceKeys(List<PinnedKey> next) {
        Set<String> kept = next.stream().map(PinnedKey::fingerprint).collect(Collectors.toSet());
        boolean withdrawn = keys.stream().anyMatch(key -> !kept.contains(key.fingerprint()));
        keys = List.copyOf(next);
        if (!withdrawn) {
            return;
        }
        for (Runnable listener : keyWithdrawalListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.error("checking the connections of withdrawn JWT keys failed", e);
            }
        }
    }

    @Override
    public void onKeysWithdrawn(Runnable listener) {
        keyWithdrawalListeners.add(listener);
    }

    /** Stops keeping the keys current. */
    @Override
    public void close() {
        if (keySource != null) {
            try {
                keySource.close();
            } catch (Exception e) {
                LOG.debug("closing the JWT key source failed", e);
            }
        }
    }

    @Override
    public boolean required() {
        return true;
    }

    @Override
    public Principal authenticate(String credential) {
        if (credential.length() > MAX_TOKEN_LENGTH) {
            throw invalid("the token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(credential);
        } catch (ParseException e) {
            throw invalid("the token is not a signed JWT (unsigned tokens, alg none, are refused)");
        }
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm algorithm = header.getAlgorithm();
        PinnedKey signer = signer(jwt, algorithm, header.getKeyID());
        if (signer == null) {
            if (header.getKeyID() != null && keys.stream().noneMatch(key -> header.getKeyID().equals(key.keyId()))) {
                unknownKeyId.run();
            }
            throw invalid("the token's signature does not verify with any key configured for " + algorithm);
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid("the token's claims are not a JSON object");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw invalid("the token has no exp claim; tokens must expire");
        }
        Instant expiresAt = exp.toInstant().plus(leeway);
        if (!now.isBefore(expiresAt)) {
            throw new NexusException(ErrorCode.TOKEN_EXPIRED, "the token expired at " + exp.toInstant());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(leeway).isBefore(nbf.toInstant())) {
            throw invalid("the token is not valid before " + nbf.toInstant());
        }
        if (issuer != null && !issuer.equals(claims.getIssuer())) {
            throw invalid("the token's issuer is not the one this server accepts");
        }
        if (audience != null && (claims.getAudience() == null || !claims.getAudience().contains(audience))) {
            throw invalid("the token is not meant for this server (aud)");
        }
        String subject = claims.getSubject();
        if (subject == null || !SessionId.isValid(subject)) {
            throw invalid("the token's sub must be a valid session id");
        }
        return Principal.session(subject, expiresAt, signer.fingerprint());
    }

    @Override
    public boolean stillAccepts(Principal principal) {
        // asked before every frame of a WebSocket: a plain loop over the few keys, nothing allocated
        String signingKey = principal.signingKey();
        if (signingKey == null) {
            return true;
        }
        for (PinnedKey key : keys) {
            if (key.fingerprint().equals(signingKey)) {
                return true;
            }
        }
        return false;
    }

    /** The key the token's signature verifies with, or null. */
    private PinnedKey signer(SignedJWT jwt, JWSAlgorithm algorithm, String keyId) {
        for (PinnedKey key : keys) {
            if (!key.algorithm().equals(algorithm)) {
                continue;
            }
            if (keyId != null && key.keyId() != null && !keyId.equals(key.keyId())) {
                continue;
            }
            try {
                if (jwt.verify(key.verifier())) {
                    return key;
                }
            } catch (JOSEException | IllegalStateException e) {
                // a key that cannot check this token does not verify it
            }
        }
        return null;
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_TOKEN, message);
    }
}
