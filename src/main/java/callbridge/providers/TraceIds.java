package callbridge.providers;

import java.util.regex.Pattern;

/**
 * Cekura's {@code trace_id}: a W3C / OpenTelemetry trace id, 32 lowercase hex characters, not all zeros.
 * A route may map one ({@code bridgeTraceId}); else it is the trace-id part of the webhook's W3C
 * {@code traceparent} header ({@code version-traceid-parentid-flags}, W3C Trace Context level 1).
 * Anything malformed is left out, never an error: a trace id is a courtesy, not part of the call.
 */
public final class TraceIds {
    public static final String TRACEPARENT = "traceparent";
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern TRACEPARENT_FIELDS = Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final int VERSION_00_LENGTH = 55;

    private TraceIds() {
    }

    /** A mapped trace id as it is, when it is one; else null. */
    public static String traceId(Object mapped) {
        if (!(mapped instanceof String text)) {
            return null;
        }
        return TRACE_ID.matcher(text).matches() && !allZeros(text) ? text : null;
    }

    /** The trace id of a {@code traceparent} header value; null when absent or malformed. */
    public static String ofTraceparent(Object header) {
        if (!(header instanceof String value)) {
            return null;     // absent, or the header sent more than once: not one traceparent
        }
        String text = value.strip();
        if (text.length() < VERSION_00_LENGTH) {
            return null;
        }
        var fields = TRACEPARENT_FIELDS.matcher(text.substring(0, VERSION_00_LENGTH));
        if (!fields.matches()) {
            return null;
        }
        String version = fields.group(1);
        boolean sizeFits = "00".equals(version) ? text.length() == VERSION_00_LENGTH
                : text.length() == VERSION_00_LENGTH || text.charAt(VERSION_00_LENGTH) == '-';   // a later version may add fields
        if ("ff".equals(version) || !sizeFits || allZeros(fields.group(2)) || allZeros(fields.group(3))) {
            return null;
        }
        return fields.group(2);
    }

    private static boolean allZeros(String hex) {
        return hex.chars().allMatch(c -> c == '0');
    }
}
