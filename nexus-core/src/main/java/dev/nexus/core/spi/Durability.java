package dev.nexus.core.spi;

import java.util.Locale;

/**
 * What a publish acknowledgement promises about the event.
 *
 * <ul>
 *   <li>{@link #SYNC}: the reply is sent only after the fsync that covers the event; a crash loses nothing
 *       acknowledged. Group commit makes many events share one fsync.</li>
 *   <li>{@link #BATCH_ASYNC}: the reply is sent once the event has its seq; it reaches disk with the next group
 *       commit, normally within a few milliseconds. A crash of the machine can lose acknowledged events of the last
 *       batch or so; a crash of the process alone loses nothing once the batch is written.</li>
 *   <li>{@link #OFF}: no fsync at all (SQLite {@code synchronous=OFF}); the operating system decides when data
 *       reaches disk. Memory speed; a power loss can lose anything recent.</li>
 * </ul>
 */
public enum Durability {
    SYNC, BATCH_ASYNC, OFF;

    /** The option text: {@code sync}, {@code batch-async}, {@code off}. */
    public String option() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static Durability parse(String text) {
        for (Durability d : values()) {
            if (d.option().equalsIgnoreCase(text.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("durability must be sync, batch-async or off, got '" + text + "'");
    }
}
