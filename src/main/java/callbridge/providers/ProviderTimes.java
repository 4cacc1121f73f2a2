package callbridge.providers;

import callbridge.ingest.InvalidEventException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.regex.Pattern;

/**
 * Reads the times providers send: ISO 8601 with an offset or {@code Z}, or a plain Unix number
 * (JSON number or digit string, at most one fraction) in seconds or milliseconds. Values below 10^11 are
 * taken as seconds (10^11 s is the year 5138; 10^11 ms is 1973). Null or an empty string is no time.
 *
 * <p>Anything else is an {@link InvalidEventException} (400) naming the field. Every check is on a
 * bounded length before any parsing, so a hostile value costs microseconds, not the CPU.
 */
public final class ProviderTimes {
    /** A Unix number as text: digits, at most one fraction, at most this many characters. */
    static final int MAX_NUMBER_CHARS = 20;
    /** Any time as text (ISO 8601 with nanoseconds and an offset is 35 characters). */
    static final int MAX_TEXT_CHARS = 40;
    private static final long SECONDS_LIMIT = 100_000_000_000L;
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    private static final BigDecimal LATEST_MILLIS = BigDecimal.valueOf(LATEST.toEpochMilli());
    private static final Pattern UNIX_NUMBER = Pattern.compile("[0-9]+(\\.[0-9]*)?");
    private static final String FORMS = "ISO 8601 with an offset or Z, or Unix seconds or milliseconds";

    private ProviderTimes() {
    }

    /** The time in {@code value}, null when there is none; {@code field} names it in the 400. */
    public static Long epochMillis(Object value, String field) {
        Instant instant = instant(value, field);
        return instant == null ? null : instant.toEpochMilli();
    }

    /** The time in {@code value}, null when there is none; {@code field} names it in the 400. */
    public static Instant instant(Object value, String field) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return fromNumber(number, field);
        }
        if (!(value instanceof CharSequence chars)) {
            throw notATime(field);
        }
        if (chars.length() > MAX_TEXT_CHARS) {
            throw new InvalidEventException("field " + field + " is too long for a time (at most "
                    + MAX_TEXT_CHARS + " characters: " + FORMS + ")");
        }
        String text = chars.toString().trim();
        if (text.isEmpty()) {
            return null;
        }
        if (isDigitsAndDots(text)) {
            if (text.length() > MAX_NUMBER_CHARS || !UNIX_NUMBER.matcher(text).matches()) {
                throw new InvalidEventException("field " + field + " must be a Unix time: digits with at most one fraction, at most "
                        + MAX_NUMBER_CHARS + " characters");
            }
            return fromUnix(new BigDecimal(text), field);
        }
        Instant instant = iso(text);
        if (instant == null) {
            throw notATime(field);
        }
        return inRange(instant, field);
    }

    /** A length or an offset in seconds beyond which a value is taken for a mistake: 10^8 s is over three years. */
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(100_000_000L);

    /**
     * {@code base} plus {@code seconds} (a JSON number or digits with at most one fraction, 0 to 10^8), to the
     * millisecond: a call's end from its start and length, a line's time from the call's start and its offset.
     * Null when either is missing; anything else is an {@link InvalidEventException} naming {@code field}.
     */
    public static Instant plusSeconds(Instant base, Object seconds, String field) {
        if (base == null || seconds == null || seconds instanceof CharSequence text && text.toString().isBlank()) {
            return null;
        }
        BigDecimal amount;
        if (seconds instanceof Double || seconds instanceof Float) {
            double d = ((Number) seconds).doubleValue();
            amount = Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        } else if (seconds instanceof BigDecimal decimal) {
            amount = decimal;
        } else if (seconds instanceof Long || seconds instanceof Integer || seconds instanceof Short || seconds instanceof java.math.BigInteger) {
            amount = new BigDecimal(seconds.toString());
        } else if (seconds instanceof CharSequence chars && chars.length() <= MAX_NUMBER_CHARS
                && UNIX_NUMBER.matcher(chars.toString().trim()).matches()) {
            amount = new BigDecimal(chars.toString().trim());
        } else {
            amount = null;
        }
        if (amount == null || amount.signum() < 0 || amount.compareTo(MAX_SECONDS) > 0) {
            throw new InvalidEventException("field " + field + " must be a number of seconds from 0 to " + MAX_SECONDS.toPlainString());
        }
        Instant at = base.plusMillis(amount.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
        return inRange(at, field);
    }

    private static Instant fromNumber(Number number, String field) {
        BigDecimal exact;
        if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            if (!Double.isFinite(d)) {
                throw outOfRange(field);
            }
            exact = BigDecimal.valueOf(d);
        } else if (number instanceof BigDecimal decimal) {
            exact = decimal;   // compareTo below looks at the exponents first: cheap even for 1e999999
        } else if (number instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw outOfRange(field);
            }
            exact = new BigDecimal(big);
        } else if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
            exact = BigDecimal.valueOf(number.longValue());
        } else {
            return instant(number.toString(), field);
        }
        return fromUnix(exact, field);
    }

    private static Instant fromUnix(BigDecimal number, String field) {
        if (number.signum() < 0 || number.compareTo(LATEST_MILLIS) > 0) {
            throw outOfRange(field);
        }
        if (number.compareTo(BigDecimal.valueOf(SECONDS_LIMIT)) < 0) {
            return Instant.ofEpochMilli(number.movePointRight(3).longValue());
        }
        return Instant.ofEpochMilli(number.longValue());
    }

    private static Instant iso(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException notOffset) {
            try {
                return Instant.parse(text);
            } catch (DateTimeException unreadable) {
                return null;
            }
        }
    }

    private static Instant inRange(Instant instant, String field) {
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw outOfRange(field);
        }
        return instant;
    }

    private static boolean isDigitsAndDots(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static InvalidEventException notATime(String field) {
        return new InvalidEventException("field " + field + " must be a time: " + FORMS);
    }

    private static InvalidEventException outOfRange(String field) {
        return new InvalidEventException("field " + field + " is out of range for a time (a Unix time from 0 to the year 9999, "
                + "or ISO 8601 of the years 1 to 9999)");
    }
}
