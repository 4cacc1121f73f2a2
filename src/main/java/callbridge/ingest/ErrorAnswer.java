package callbridge.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** The body of every error answer: {@code {"error": "..."}}, never a stack trace. */
public final class ErrorAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorAnswer() {
    }

    public static String json(String message) {
        try {
            return JSON.writeValueAsString(Map.of("error", message));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
