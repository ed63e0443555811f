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

    /**
     * {@code 2025-11-17T07:50:00.123Z}. Every event is stamped and encoded with one, so this avoids
     * {@link DateTimeFormatter} (the hottest frame of a publish when it was used) and remembers the last result:
     * events accepted in the same millisecond share the string.
     */
    public static String format(Instant instant) {
        long millis = instant.toEpochMilli();
        Formatted last = lastFormatted;
        if (last.millis == millis) {
            return last.text;
        }
        String text = instant.getEpochSecond() >= 0 && instant.getEpochSecond() < MAX_FAST_SECONDS
                ? fastFormat(millis) : FORMAT.format(instant);
        lastFormatted = new Formatted(millis, text);
        return text;
    }

    private static final long MAX_FAST_SECONDS = 253402300800L; // 10000-01-01: four-digit years only
    private static volatile Formatted lastFormatted = new Formatted(Long.MIN_VALUE, "");

    private record Formatted(long millis, String text) {
    }

    private static String fastFormat(long epochMillis) {
        long seconds = Math.floorDiv(epochMillis, 1000);
        int millisOfSecond = (int) Math.floorMod(epochMillis, 1000);
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        char[] c = new char[24];
        four(c, 0, t.getYear());
        c[4] = '-';
        two(c, 5, t.getMonthValue());
        c[7] = '-';
        two(c, 8, t.getDayOfMonth());
        c[10] = 'T';
        two(c, 11, t.getHour());
        c[13] = ':';
        two(c, 14, t.getMinute());
        c[16] = ':';
        two(c, 17, t.getSecond());
        c[19] = '.';
        c[20] = (char) ('0' + millisOfSecond / 100);
        c[21] = (char) ('0' + millisOfSecond / 10 % 10);
        c[22] = (char) ('0' + millisOfSecond % 10);
        c[23] = 'Z';
        return new String(c);
    }

    private static void two(char[] c, int at, int value) {
        c[at] = (char) ('0' + value / 10);
        c[at + 1] = (char) ('0' + value % 10);
    }

    private static void four(char[] c, int at, int value) {
        c[at] = (char) ('0' + value / 1000);
        c[at + 1] = (char) ('0' + value / 100 % 10);
        c[at + 2] = (char) ('0' + value / 10 % 10);
        c[at + 3] = (char) ('0' + value % 10);
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
