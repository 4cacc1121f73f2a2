package callbridge.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callbridge.ingest.InvalidEventException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The forms of time providers send, and everything else, refused at once and by name. */
class ProviderTimesTest {
    static final Instant SALPRE_SECOND = Instant.parse("2025-10-10T08:15:05Z");

    @Test
    void unixSecondsAndMillisecondsAsNumbersOrDigitStrings() {
        assertThat(ProviderTimes.instant(1760084105, "t")).isEqualTo(SALPRE_SECOND);
        assertThat(ProviderTimes.instant(1760084105L, "t")).isEqualTo(SALPRE_SECOND);
        assertThat(ProviderTimes.instant("1760084105", "t")).isEqualTo(SALPRE_SECOND);
        assertThat(ProviderTimes.instant(" 1760084105 ", "t")).isEqualTo(SALPRE_SECOND);
        assertThat(ProviderTimes.instant(1760084105000L, "t")).isEqualTo(SALPRE_SECOND);
        assertThat(ProviderTimes.instant("1760084105000", "t")).isEqualTo(SALPRE_SECOND);
        assertThat(ProviderTimes.epochMillis("1760084105.25", "t")).isEqualTo(1760084105250L);
        assertThat(ProviderTimes.epochMillis(1760084105.25, "t")).isEqualTo(1760084105250L);
        assertThat(ProviderTimes.epochMillis(new BigDecimal("1760084105.5"), "t")).isEqualTo(1760084105500L);
        assertThat(ProviderTimes.epochMillis(BigInteger.valueOf(1760084105000L), "t")).isEqualTo(1760084105000L);
        assertThat(ProviderTimes.epochMillis("1760084105.", "t")).isEqualTo(1760084105000L);
        assertThat(ProviderTimes.epochMillis(0, "t")).isZero();
        // 10^11 and above are milliseconds (10^11 s would be the year 5138)
        assertThat(ProviderTimes.epochMillis(99_999_999_999L, "t")).isEqualTo(99_999_999_999_000L);
        assertThat(ProviderTimes.epochMillis(100_000_000_000L, "t")).isEqualTo(100_000_000_000L);
    }

    @Test
    void iso8601WithOffsetOrZ() {
        assertThat(ProviderTimes.instant("2026-04-27T12:56:41.599271364Z", "t"))
                .isEqualTo(Instant.parse("2026-04-27T12:56:41.599271364Z"));
        assertThat(ProviderTimes.instant("2026-01-28T12:34:23.097263+00:00", "t"))
                .isEqualTo(Instant.parse("2026-01-28T12:34:23.097263Z"));
        assertThat(ProviderTimes.instant("2026-03-01T12:00:00+02:00", "t")).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(ProviderTimes.instant("2026-03-01T10:00Z", "t")).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    }

    @Test
    void nothingIsNoTime() {
        assertThat(ProviderTimes.instant(null, "t")).isNull();
        assertThat(ProviderTimes.instant("", "t")).isNull();
        assertThat(ProviderTimes.instant("   ", "t")).isNull();
        assertThat(ProviderTimes.epochMillis(null, "t")).isNull();
    }

    @Test
    void anythingElseIsRefusedNamingTheField() {
        String forms = "must be a time: ISO 8601 with an offset or Z, or Unix seconds or milliseconds";
        refused("yesterday", "field timestamp_utc " + forms);
        refused("2026-03-01T10:00:00", "field timestamp_utc " + forms);          // no offset: which zone?
        refused("2026-03-01", "field timestamp_utc " + forms);
        refused("-5", "field timestamp_utc " + forms);
        refused("١٧٦٠٠٨٤١٠٥", "field timestamp_utc " + forms);                    // digits, but not ASCII ones
        refused(true, "field timestamp_utc " + forms);
        refused(Map.of("at", 1), "field timestamp_utc " + forms);
        refused(List.of(1760084105), "field timestamp_utc " + forms);

        String unix = "field timestamp_utc must be a Unix time: digits with at most one fraction, at most 20 characters";
        refused("1..2", unix);
        refused("1.2.3", unix);
        refused(".", unix);
        refused("123456789012345678901", unix);

        String range = "field timestamp_utc is out of range for a time (a Unix time from 0 to the year 9999, or ISO 8601 of the years 1 to 9999)";
        refused(Double.POSITIVE_INFINITY, range);
        refused(Double.NaN, range);
        refused(-1, range);
        refused(-1.5, range);
        refused(new BigDecimal("1e999"), range);
        refused(new BigInteger("9".repeat(400)), range);
        refused("99999999999999999999", range);
        refused("+10000-01-01T00:00:00Z", range);
        refused("0000-12-31T23:59:59Z", range);
    }

    @Test
    void aHugeDigitStringIsRefusedBeforeAnyParsing() {
        String megabyte = "1".repeat(1024 * 1024);
        refused(megabyte, "field timestamp_utc is too long for a time (at most 40 characters: "
                + "ISO 8601 with an offset or Z, or Unix seconds or milliseconds)");
        refused(" ".repeat(41) + "1760084105", "field timestamp_utc is too long for a time (at most 40 characters: "
                + "ISO 8601 with an offset or Z, or Unix seconds or milliseconds)");
    }

    @Test
    void jsonNumbersAsJacksonReadsThem() throws Exception {
        ObjectMapper plain = new ObjectMapper();
        Map<?, ?> parsed = plain.readValue("{\"a\":1760084105,\"b\":1760084105000,\"c\":1760084105.5,\"d\":1e999,"
                + "\"e\":123456789012345678901234567890}", Map.class);
        assertThat(ProviderTimes.instant(parsed.get("a"), "a")).isEqualTo(SALPRE_SECOND);
        assertThat(ProviderTimes.instant(parsed.get("b"), "b")).isEqualTo(SALPRE_SECOND);
        assertThat(ProviderTimes.epochMillis(parsed.get("c"), "c")).isEqualTo(1760084105500L);
        assertThat(parsed.get("d")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> ProviderTimes.instant(parsed.get("d"), "d")).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> ProviderTimes.instant(parsed.get("e"), "e")).isInstanceOf(InvalidEventException.class);

        ObjectMapper decimals = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        Map<?, ?> exact = decimals.readValue("{\"c\":1760084105.5,\"d\":1e999}", Map.class);
        assertThat(ProviderTimes.epochMillis(exact.get("c"), "c")).isEqualTo(1760084105500L);
        assertThatThrownBy(() -> ProviderTimes.instant(exact.get("d"), "d")).isInstanceOf(InvalidEventException.class);
    }

    private static void refused(Object value, String message) {
        assertThatThrownBy(() -> ProviderTimes.instant(value, "timestamp_utc"))
                .as("%s", value instanceof String s && s.length() > 50 ? s.substring(0, 50) + "…" : value)
                .isInstanceOf(InvalidEventException.class)
                .hasMessage(message);
    }
}
