package callbridge.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** One call object of Cekura's custom-integration webhook (seed 000). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "startedAt", "endedAt", "messages", "to_phone_number", "from_phone_number",
        "metadata", "endedReason", "run_id", "trace_id"})
public record CekuraCall(
        String id,
        String startedAt,
        String endedAt,
        List<Message> messages,
        @JsonProperty("to_phone_number") String toPhoneNumber,
        @JsonProperty("from_phone_number") String fromPhoneNumber,
        Map<String, Object> metadata,
        String endedReason,
        @JsonProperty("run_id") String runId,
        @JsonProperty("trace_id") String traceId) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"role", "content", "start_time", "end_time", "data"})
    public record Message(
            String role,
            String content,
            @JsonProperty("start_time") Long startTime,
            @JsonProperty("end_time") Long endTime,
            Map<String, Object> data) {
    }

    /** The webhook body: {@code {"agent_id": ..., "calls": [...]}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"agent_id", "calls"})
    public record Envelope(@JsonProperty("agent_id") Integer agentId, List<CekuraCall> calls) {
    }
}
