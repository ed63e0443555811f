package dev.nexus.protocol;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Timestamps on the wire: ISO-8601 in UTC with millisecond precision, such as {@code 2025-11-17T07:50:00.123Z}. */
public final class WireTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private WireTime() {
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /** The instant truncated to the precision the wire carries, so what is stored equals what is sent. */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Parses an ISO-8601 instant ({@code 2025-11-17T07:00:00Z}, with or without fraction, or with an offset such
     * as {@code +02:00}).
     *
     * @param name the parameter or field name, for the error message
     * @throws NexusException {@code invalid_parameter} when the text is not such an instant
     */
    public static Instant parse(String text, String name) {
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new NexusException(ErrorCode.INVALID_PARAMETER,
                        name + " must be an ISO-8601 timestamp such as 2025-11-17T07:00:00Z, got '" + text + "'",
                        Map.of("parameter", name));
            }
        }
    }
}
