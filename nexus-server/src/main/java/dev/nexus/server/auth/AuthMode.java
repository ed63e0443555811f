package dev.nexus.server.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The {@code --auth} modes. */
public enum AuthMode {
    /** No authentication: allowed on loopback only, unless {@code --insecure-no-auth}. */
    NONE,
    /** Per-session secrets from a tokens file. */
    TOKEN,
    /** Signed JSON Web Tokens whose {@code sub} is the session id. */
    JWT;

    /** The option's spelling. */
    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the valid values */
    public static AuthMode parse(String text) {
        return Arrays.stream(values()).filter(m -> m.option().equalsIgnoreCase(text == null ? "" : text.trim()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--auth must be one of "
                        + Arrays.stream(values()).map(AuthMode::option).collect(Collectors.joining(", "))
                        + ", got '" + text + "'"));
    }
}
