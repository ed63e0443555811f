package dev.nexus.core.spi;

import java.util.Locale;

/** Where a queued work item is in its life. */
public enum WorkStatus {
    /** Waiting to be handed out: ready, or waiting for its dependencies or a retry backoff. */
    PENDING,
    /** Handed to a session, which holds it by a claim with a lease. */
    CLAIMED,
    /** Done; final. */
    COMPLETED,
    /** Failed {@code max_attempts} times, or depends on a dead item; final. */
    DEAD;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this == COMPLETED || this == DEAD;
    }

    /** @throws IllegalArgumentException for anything but a wire name */
    public static WorkStatus parse(String text) {
        for (WorkStatus status : values()) {
            if (status.wire().equals(text)) {
                return status;
            }
        }
        throw new IllegalArgumentException("status must be pending, claimed, completed or dead, got '" + text + "'");
    }
}
