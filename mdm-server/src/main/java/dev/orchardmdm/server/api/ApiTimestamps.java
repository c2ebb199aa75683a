package dev.orchardmdm.server.api;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Timestamps as Zentral's API writes them: naive UTC, Python {@code isoformat()} style, i.e.
 * {@code 2024-02-17T20:31:34.848107}, or {@code 2024-08-05T14:44:01} when the microseconds are zero.
 */
public final class ApiTimestamps {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private ApiTimestamps() {
    }

    /** Formats an instant, truncated to microseconds; {@code null} stays {@code null}. */
    public static String format(Instant instant) {
        if (instant == null) {
            return null;
        }
        LocalDateTime t = LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        return (t.getNano() == 0 ? SECONDS : MICROS).format(t);
    }

    /** Parses a timestamp written by {@link #format} (or any ISO local date-time) as UTC. */
    public static Instant parse(String text) {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    }
}
