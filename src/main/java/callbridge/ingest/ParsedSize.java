package callbridge.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What an event costs the heap once its call is assembled (every event of the call is parsed back at once): an
 * estimate made at ingest from the canonical JSON's tokens, without building a tree.
 *
 * <p>{@code parsed bytes = 64 × (JSON values + field names) + 4 × characters of the canonical JSON}. Parsed back, each
 * object, array, number, string or field is at least one object on the heap (a map with its entry, a list slot, a
 * String with its array): measured with Jackson's untyped maps, 1 MB of {@code [{},{},…]} takes 62 bytes per value
 * (20.8 MB), of {@code [{"k":1},…]} 61, of short strings 53. The characters count twice over (up to 2 bytes each):
 * the canonical text read from the store, and the strings and payload made from it. Ordinary events come out at
 * 3 to 5 times their raw size, {@code [{},{},…]} at about 25 times.
 */
public final class ParsedSize {
    public static final int PER_VALUE = 64;
    public static final int PER_CHAR = 4;

    private ParsedSize() {
    }

    public static long of(JsonFactory json, String canonical) {
        long values = 0;
        try (JsonParser parser = json.createParser(canonical)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token != JsonToken.END_OBJECT && token != JsonToken.END_ARRAY) {
                    values++;
                }
            }
        } catch (IOException impossible) { // the bridge wrote this JSON itself
            throw new IllegalStateException("canonical event unreadable", impossible);
        }
        return PER_VALUE * values + (long) PER_CHAR * canonical.length();
    }
}
