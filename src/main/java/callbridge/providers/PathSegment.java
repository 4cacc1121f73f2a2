package callbridge.providers;

import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;

/**
 * Makes an outside value (a provider's call id, ...) exactly one URI path segment for a route that calls
 * an API: every byte of its UTF-8 form is percent-encoded except RFC 3986's unreserved characters
 * ({@code A-Z a-z 0-9 - . _ ~}), so {@code / ? # & % ;} and spaces stay data. A segment of only dots
 * ({@code .}, {@code ..}) is encoded too, so that no client resolves it as a step up the path.
 * The result is also a valid query value.
 * <p>
 * In a route: {@code setHeader: { name: CamelHttpPath, method: { ref: bridgePathSegment, method: "under('calls', ${exchangeProperty.bridgeCallId})" } }}
 * in front of a fixed {@code to:}. camel-http appends {@code CamelHttpPath} to the endpoint's path and leaves
 * the {@code %XX} escapes as they are (no double encoding).
 */
@Component("bridgePathSegment")
public class PathSegment {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** The value as one encoded path segment; null stays null. */
    public static String encode(String value) {
        if (value == null) {
            return null;
        }
        boolean onlyDots = !value.isEmpty() && value.chars().allMatch(c -> c == '.');
        StringBuilder encoded = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isUnreserved(c) && !(onlyDots && c == '.')) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0x0f]);
            }
        }
        return encoded.toString();
    }

    /** {@code <path>/<value as one encoded segment>}: the path is the route's own text, the value is data. */
    public String under(String path, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("no value for the path segment under " + path);
        }
        return path + "/" + encode(value);
    }

    private static boolean isUnreserved(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
