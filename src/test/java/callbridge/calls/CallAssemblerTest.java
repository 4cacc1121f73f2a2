package callbridge.calls;

import callbridge.claims.CallKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callbridge.delivery.CekuraCall;
import callbridge.delivery.CekuraMessageTimes;
import callbridge.delivery.CekuraSettingsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;

/** Cekura's optional fields as the assembler makes them, without Camel. */
class CallAssemblerTest {
    static final Instant START = Instant.parse("2025-01-01T00:00:05Z");
    static final String TRACE_A = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String TRACE_B = "0af7651916cd43dd8448eb211c80319c";
    final CallAssembler assembler = new CallAssembler();
    final ObjectMapper json = new ObjectMapper();

    @Test
    void digitsAreTheIntegerRunIdAndAnythingElseIsKeptRaw() throws Exception {
        assertThat(assembler.assemble(call(event("456789", null, null))).runId()).isEqualTo(456789L);
        assertThat(assembler.assemble(call(event("007", null, null))).runId()).isEqualTo(7L);
        for (String odd : List.of("run-12", "12.5", "-3", " 12", "１２", "1234567890123456789012")) {
            CekuraCall call = assembler.assemble(call(event(odd, null, null)));
            assertThat(call.runId()).as(odd).isNull();
            assertThat(call.metadata()).as(odd).containsEntry("run_id_raw", odd);
        }
        CekuraCall none = assembler.assemble(call(event(null, null, null)));
        assertThat(none.runId()).isNull();
        assertThat(none.metadata()).doesNotContainKey("run_id_raw");
    }

    @Test
    void theRunIdLastStatedWins() {
        assertThat(assembler.assemble(call(event("1", null, null), event("2", null, null))).runId()).isEqualTo(2L);
    }

    @Test
    void aMappedTraceIdOutranksATraceparentOnAnyOfTheCallsWebhooks() {
        assertThat(assembler.assemble(call(event(null, null, TRACE_B), event(null, TRACE_A, null))).traceId()).isEqualTo(TRACE_A);
        assertThat(assembler.assemble(call(event(null, null, TRACE_B), event(null, null, null))).traceId()).isEqualTo(TRACE_B);
        assertThat(assembler.assemble(call(event(null, null, null))).traceId()).isNull();
    }

    @Test
    void messageTimesInSecondsFromTheCallsStart() throws Exception {
        StoredCall call = call(new CallEvent("acme", "c1", CallEventKind.ENDED, "ended", START.plusSeconds(60), null, null, null,
                "hangup", null, List.of(new TranscriptLine("bot", "Hi.", START.toEpochMilli() + 1100, START.toEpochMilli() + 2300, null),
                        new TranscriptLine("user", "Hello.", START.toEpochMilli() + 5000, null, null),
                        new TranscriptLine("function_call", "", null, null, Map.of("id", "t1"))),
                Map.of(), false, START, START.plusSeconds(60), null, false));
        String seconds = json.writeValueAsString(assembler.assemble(call, Map.of(), CekuraMessageTimes.SECONDS_FROM_START).messages());
        JSONAssert.assertEquals("""
                [{"role":"bot","content":"Hi.","start_time":1.1,"end_time":2.3},{"role":"user","content":"Hello.","start_time":5.0},
                 {"role":"function_call","content":"","data":{"id":"t1"}}]""", seconds, JSONCompareMode.STRICT);
        assertThat(seconds).contains("\"start_time\":1.1,\"end_time\":2.3").contains("\"start_time\":5.0");
        String epoch = json.writeValueAsString(assembler.assemble(call, Map.of(), CekuraMessageTimes.EPOCH_MS).messages());
        assertThat(epoch).contains("\"start_time\":1735689606100,\"end_time\":1735689607300");
    }

    @Test
    void theSettingTakesItsTwoValuesOnly() {
        assertThat(CekuraMessageTimes.of("epoch-ms")).isEqualTo(CekuraMessageTimes.EPOCH_MS);
        assertThat(CekuraMessageTimes.of("seconds-from-start")).isEqualTo(CekuraMessageTimes.SECONDS_FROM_START);
        assertThatThrownBy(() -> CekuraMessageTimes.of("seconds")).isInstanceOf(CekuraSettingsException.class)
                .hasMessage("CEKURA_MESSAGE_TIMES is 'seconds': use epoch-ms (the default) or seconds-from-start");
    }

    @Test
    void withoutAnAgentIdAPostNeverMixesCallsWithAndWithoutARun() throws Exception {
        CekuraCall run = assembler.assemble(call(event("456789", null, null)));
        CekuraCall noRun = assembler.assemble(call(event(null, null, null)));
        assertThatThrownBy(() -> CekuraCall.Envelope.of(null, List.of(run, noRun))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without CEKURA_AGENT_ID");
        assertThat(CekuraCall.Envelope.of(null, List.of(run, run)).agentId()).isNull();
        assertThat(CekuraCall.Envelope.of(null, List.of(noRun)).calls()).hasSize(1);
        // with CEKURA_AGENT_ID every POST carries it, run or not
        assertThat(json.writeValueAsString(CekuraCall.Envelope.of(42, List.of(run, noRun))))
                .startsWith("{\"agent_id\":42,\"calls\":[{\"id\":\"acme-c1\"").contains("\"run_id\":456789");
        assertThat(json.writeValueAsString(CekuraCall.Envelope.of(null, List.of(run)))).startsWith("{\"calls\":[{");
    }

    private static CallEvent event(String runId, String traceId, String headerTraceId) {
        return new CallEvent("acme", "c1", CallEventKind.ENDED, "ended", START.plusSeconds(60), null, null, null, "hangup", null,
                List.of(), Map.of(), false, START, START.plusSeconds(60), null, false, runId, traceId, headerTraceId);
    }

    private static StoredCall call(CallEvent... events) {
        return new StoredCall(new CallKey("acme", "c1"), CallState.OPEN, false, START, START.plusSeconds(60), START.plusSeconds(60),
                List.of(events));
    }
}
