package dev.nexus.server;

import java.util.Locale;

/** Where the server keeps events and claims. */
public enum StoreKind {
    /** {@code <data-dir>/nexus.db}: survives restarts; the default. */
    SQLITE,
    /** Nothing survives a restart; the epoch changes at every start. */
    MEMORY;

    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static StoreKind parse(String text) {
        for (StoreKind kind : values()) {
            if (kind.option().equalsIgnoreCase(text.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("--store must be sqlite or memory, got '" + text + "'");
    }
}
