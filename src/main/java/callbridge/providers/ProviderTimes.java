package callbridge.providers;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads the times providers send: Unix seconds or milliseconds (number or digit string) or ISO 8601.
 * Values below 10^11 are taken as seconds (10^11 s is the year 5138; 10^11 ms is 1973).
 */
public final class ProviderTimes {
    private static final long SECONDS_LIMIT = 100_000_000_000L;

    private ProviderTimes() {
    }

    public static Long epochMillis(Object value) {
        Instant instant = instant(value);
        return instant == null ? null : instant.toEpochMilli();
    }

    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return fromNumber(new BigDecimal(number.toString()));
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            return null;
        }
        if (Character.isDigit(text.charAt(0)) && text.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return fromNumber(new BigDecimal(text));
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    private static Instant fromNumber(BigDecimal number) {
        if (number.signum() < 0) {
            return null;
        }
        if (number.compareTo(BigDecimal.valueOf(SECONDS_LIMIT)) < 0) {
            return Instant.ofEpochMilli(number.movePointRight(3).longValue());
        }
        return Instant.ofEpochMilli(number.longValue());
    }
}
