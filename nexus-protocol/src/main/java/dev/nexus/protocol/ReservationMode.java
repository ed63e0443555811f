package dev.nexus.protocol;

import java.util.Locale;
import java.util.Map;

/**
 * How a claim holds its resources: an {@code exclusive} reservation conflicts with every overlapping reservation
 * of another session; {@code shared} ones conflict only with exclusive ones.
 */
public enum ReservationMode {
    EXCLUSIVE,
    SHARED;

    /** The wire name: {@code exclusive} or {@code shared}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a reservation in this mode and one in {@code other} may not overlap. */
    public boolean conflictsWith(ReservationMode other) {
        return this == EXCLUSIVE || other == EXCLUSIVE;
    }

    /** @throws NexusException {@code invalid_field} (field {@code mode}) for anything but the two wire names */
    public static ReservationMode parse(String text) {
        for (ReservationMode mode : values()) {
            if (mode.wire().equals(text)) {
                return mode;
            }
        }
        throw new NexusException(ErrorCode.INVALID_FIELD, "mode must be \"exclusive\" or \"shared\", got '" + text + "'",
                Map.of("field", "mode"));
    }
}
