package dev.nexus.core.presence;

import dev.nexus.core.spi.SessionRecord;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a session can take work now: {@code offline} without a live connection; {@code busy} while it reports
 * current work or a busy status ({@code working}, {@code busy}, {@code error}, {@code blocked}); otherwise
 * {@code idle}.
 */
public enum Availability {
    IDLE, BUSY, OFFLINE;

    private static final Set<String> IDLE_STATUSES = Set.of("idle", "available", "ready", "done");
    private static final Set<String> BUSY_STATUSES = Set.of("working", "busy", "error", "blocked");

    public static Availability of(SessionRecord record) {
        if (!record.online()) {
            return OFFLINE;
        }
        if (record.currentWork() != null || isBusyStatus(record.status())) {
            return BUSY;
        }
        return IDLE;
    }

    /** Whether a reported status means the session is occupied ({@code working}, {@code busy}, ...), case-insensitive. */
    public static boolean isBusyStatus(String status) {
        return status != null && BUSY_STATUSES.contains(status.toLowerCase(Locale.ROOT));
    }

    /**
     * Whether a reported status says the session has finished what it was doing ({@code idle}, {@code available},
     * {@code ready}, {@code done}), case-insensitive; such a status update clears its current work.
     */
    public static boolean isIdleStatus(String status) {
        return status != null && IDLE_STATUSES.contains(status.toLowerCase(Locale.ROOT));
    }

    /** The lower-case name used on the wire. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
