package callbridge;

/**
 * A value that came from outside (a call id, an event type, a platform's error text), made safe for a log
 * line: control characters, line and paragraph separators and invisible format characters (bidi overrides)
 * are written as {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}, so one value can never end
 * the line and forge another. Long values are cut to {@value #MAX_CHARS} characters.
 *
 * <p>In the root package on purpose: every feature package logs such values, and this one depends on none.
 */
public final class LogSafe {
    static final int MAX_CHARS = 1000;

    private LogSafe() {
    }

    /** {@code value} as one safe line of text ({@code "null"} for null). */
    public static String of(Object value) {
        String text = String.valueOf(value);
        int length = Math.min(text.length(), MAX_CHARS);
        int first = 0;
        while (first < length && safe(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;   // the usual case: nothing to escape, nothing to cut
        }
        StringBuilder out = new StringBuilder(length + 16).append(text, 0, first);
        for (int i = first; i < length; i++) {
            char c = text.charAt(i);
            if (safe(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (text.length() > length) {
            out.append("…(").append(text.length() - length).append(" more characters)");
        }
        return out.toString();
    }

    private static boolean safe(char c) {
        if (c >= ' ' && c < 0x7f) {
            return true;
        }
        int type = Character.getType(c);
        return type != Character.CONTROL && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR && type != Character.FORMAT;
    }
}
