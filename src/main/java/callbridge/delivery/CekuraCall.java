package callbridge.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * One call object of Cekura's custom-integration webhook (seed 000). {@code run_id} is an integer (Cekura rejects the
 * whole POST for a string one); {@code trace_id} a W3C trace id; both are left out when the call has none.
 */
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
        @JsonProperty("run_id") Long runId,
        @JsonProperty("trace_id") String traceId) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"role", "content", "start_time", "end_time", "data"})
    public record Message(
            String role,
            String content,
            @JsonProperty("start_time") Number startTime,
            @JsonProperty("end_time") Number endTime,
            Map<String, Object> data) {
    }

    /**
     * The webhook body: {@code {"agent_id": ..., "calls": [...]}}. {@code agent_id} is left out only when
     * {@code CEKURA_AGENT_ID} is unset; Cekura then finds each call's agent through its {@code run_id}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"agent_id", "calls"})
    public record Envelope(@JsonProperty("agent_id") Integer agentId, List<CekuraCall> calls) {

        /**
         * One POST. Without an {@code agent_id} a POST never mixes calls with and without a {@code run_id}: Cekura
         * validates the whole batch, so one call without a run would take the others down with it. (Delivery sends
         * one call per POST today, so this holds by construction; a batching sender groups calls by
         * {@link CekuraCall#runId()} being set before it builds its POSTs.)
         */
        public static Envelope of(Integer agentId, List<CekuraCall> calls) {
            if (agentId == null && calls.stream().map(call -> call.runId() != null).distinct().count() > 1) {
                throw new IllegalArgumentException("without CEKURA_AGENT_ID a POST to Cekura holds calls that all have a "
                        + "run_id or none that has one");
            }
            return new Envelope(agentId, List.copyOf(calls));
        }
    }
}
