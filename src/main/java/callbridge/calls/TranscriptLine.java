package callbridge.calls;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One message of a call in Cekura's vocabulary: role is already one of
 * bot, user, system, function_call, function_call_result.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TranscriptLine(String role, String content, Long startMs, Long endMs, Map<String, Object> data) {

    public static TranscriptLine of(String role, String content, Long startMs) {
        return new TranscriptLine(role, content, startMs, null, null);
    }
}
