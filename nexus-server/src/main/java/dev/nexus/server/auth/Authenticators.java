package dev.nexus.server.auth;

import java.time.Clock;
import java.time.Duration;

/** Builds the {@link Authenticator} an {@link AuthSettings} describes. */
public final class Authenticators {
    /** How often the tokens file and the JWT key file are checked for changes. */
    public static final Duration FILE_POLL = Duration.ofSeconds(1);

    private Authenticators() {
    }

    /**
     * @param clock the time source for expiry checks
     * @throws IllegalArgumentException with a sentence for the operator when a file or key cannot be used
     */
    public static Authenticator create(AuthSettings settings, Clock clock) {
        return switch (settings.mode()) {
            case NONE -> Authenticator.none();
            case TOKEN -> new TokenAuthenticator(TokenFile.open(settings.tokensFile(), FILE_POLL));
            case JWT -> JwtAuthenticator.create(settings, clock);
        };
    }
}
