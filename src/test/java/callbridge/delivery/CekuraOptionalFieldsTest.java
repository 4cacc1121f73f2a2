package callbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Cekura's optional fields end to end, with {@code CEKURA_AGENT_ID} unset and {@code CEKURA_MESSAGE_TIMES=seconds-from-start}:
 * {@code run_id} (the generic format's {@code data.run_id}, a route's {@code bridgeRunId}), {@code trace_id} (mapped, or a
 * webhook's W3C {@code traceparent}), and {@code agent_id} left out of the POST. The endpoints are open (no secrets set).
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "cekura.message-times=seconds-from-start")
class CekuraOptionalFieldsTest extends BridgeHttpTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c";
    static final String ACCEPTED = "{\"status\":\"accepted\"}";
    static final StubHttpServer cekura = StubHttpServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "cekura-optional-fields", cekura);
        registry.add("cekura.agent-id", () -> "");   // CEKURA_AGENT_ID unset
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void anIntegerRunIdAndAMappedTraceIdGoOutWithoutAnAgentIdAndTimesInSecondsFromTheStart() throws Exception {
        String call = "opt-run-1";
        // the mapped trace id outranks the traceparent header's
        Map<String, String> traced = Map.of("traceparent", "00-" + OTHER_TRACE + "-00f067aa0ba902b7-01");
        assertThat(generic("call.started", call, "\"run_id\":\"456789\",\"trace_id\":\"" + TRACE + "\"", "2026-03-01T10:00:00Z", traced).body())
                .isEqualTo(ACCEPTED);
        assertThat(generic("transcript.available", call, """
                "transcript":[{"role":"agent","content":"Hello.","start_ms":1772359200500,"end_ms":1772359202000},
                              {"role":"user","content":"Hi.","start_ms":1772359203000}]""", "2026-03-01T10:00:05Z", Map.of()).body())
                .isEqualTo(ACCEPTED);
        assertThat(generic("call.ended", call, "\"ended_reason\":\"customer-hungup\"", "2026-03-01T10:01:00Z", Map.of()).body())
                .isEqualTo(ACCEPTED);

        String sent = cekura.awaitOnlyCall("generic-" + call).body();
        JSONAssert.assertEquals("""
                {"calls":[{"id":"generic-opt-run-1","startedAt":"2026-03-01T10:00:00Z","endedAt":"2026-03-01T10:01:00Z",
                 "messages":[{"role":"bot","content":"Hello.","start_time":0.5,"end_time":2.0},
                             {"role":"user","content":"Hi.","start_time":3.0}],
                 "metadata":{"provider":"generic"},
                 "endedReason":"customer-hungup","run_id":456789,"trace_id":"%s"}]}""".formatted(TRACE), sent, JSONCompareMode.STRICT);
        assertThat(sent).startsWith("{\"calls\":[").contains("\"run_id\":456789,\"trace_id\":\"" + TRACE + "\"}]}")
                .contains("\"start_time\":0.5,\"end_time\":2.0");
    }

    @Test
    void aRunIdThatIsNoIntegerIsAcceptedLeftOutAndKeptInMetadata() throws Exception {
        String call = "opt-run-2";
        // a malformed mapped trace id and a malformed traceparent: left out, not an error
        HttpResponse<String> answer = generic("call.ended", call, "\"run_id\":\"run-456\",\"trace_id\":\"not-a-trace\"",
                "2026-03-01T10:01:00Z", Map.of("traceparent", "00-" + TRACE.toUpperCase() + "-00f067aa0ba902b7-01"));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(ACCEPTED);
        JSONAssert.assertEquals("""
                {"calls":[{"id":"generic-opt-run-2","startedAt":"2026-03-01T10:01:00Z","endedAt":"2026-03-01T10:01:00Z",
                 "messages":[],"metadata":{"provider":"generic","run_id_raw":"run-456"},"endedReason":"unknown"}]}""",
                cekura.awaitOnlyCall("generic-" + call).body(), JSONCompareMode.STRICT);
    }

    @Test
    void aJsonNumberRunIdIsTheIntegerToo() throws Exception {
        assertThat(generic("call.ended", "opt-run-3", "\"run_id\":987", "2026-03-01T10:01:00Z", Map.of()).body()).isEqualTo(ACCEPTED);
        assertThat(cekura.awaitOnlyCall("generic-opt-run-3").body()).contains("\"endedReason\":\"unknown\",\"run_id\":987}]}");
    }

    @Test
    void withoutAMappedTraceIdTheTraceparentHeadersTraceIdGoesOut() throws Exception {
        byte[] report = BridgeTestSupport.resource("/vapi/end-of-call-report.json").replace("\"c0a8-1\"", "\"opt-trace-1\"")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(bridge.post("/webhooks/vapi", report, Map.of("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01")).body())
                .isEqualTo(ACCEPTED);
        JSONAssert.assertEquals("""
                {"calls":[{"id":"vapi-opt-trace-1","startedAt":"2025-01-01T00:00:05Z","endedAt":"2025-01-01T00:02:00Z",
                 "messages":[
                   {"role":"system","content":"You are Ava, a scheduling assistant.","start_time":0.0},
                   {"role":"bot","content":"Hi, this is Ava.","start_time":1.1,"end_time":2.3},
                   {"role":"user","content":"I need to move my appointment.","start_time":3.0,"end_time":4.5},
                   {"role":"function_call","content":"","start_time":5.0,
                    "data":{"id":"call_abc","name":"lookup","arguments":{"id":"42"}}},
                   {"role":"function_call_result","content":"","start_time":5.8,
                    "data":{"id":"call_abc","name":"lookup","result":{"slot":"3pm"}}},
                   {"role":"bot","content":"You're booked for 3pm.","start_time":6.5,"end_time":8.0}],
                 "to_phone_number":"+14155550199","from_phone_number":"+14155550100",
                 "metadata":{"provider":"vapi","direction":"outbound","call_type":"outboundPhoneCall",
                             "recording_url":"https://storage.vapi.ai/x-mono.wav","summary":"Caller rescheduled to 3pm.",
                             "success_evaluation":"true","assistant_id":"asst_ava"},
                 "endedReason":"customer-ended-call","trace_id":"%s"}]}""".formatted(TRACE),
                cekura.awaitOnlyCall("vapi-opt-trace-1").body(), JSONCompareMode.STRICT);
    }

    @Test
    void aMalformedTraceparentIsIgnored() throws Exception {
        byte[] report = BridgeTestSupport.resource("/vapi/end-of-call-report.json").replace("\"c0a8-1\"", "\"opt-trace-2\"")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> answer = bridge.post("/webhooks/vapi", report, Map.of("traceparent", "00-" + TRACE + "-00f067aa0ba902b7"));
        assertThat(answer.statusCode()).isEqualTo(200);
        String sent = cekura.awaitOnlyCall("vapi-opt-trace-2").body();
        assertThat(sent).doesNotContain("trace_id").doesNotContain("run_id").doesNotContain("agent_id")
                .endsWith("\"endedReason\":\"customer-ended-call\"}]}");
    }

    private HttpResponse<String> generic(String type, String callId, String dataFields, String at, Map<String, String> headers) {
        String body = "{\"type\":\"" + type + "\",\"timestamp\":\"" + at + "\",\"data\":{\"call_id\":\"" + callId + "\","
                + dataFields + "}}";
        return bridge.post("/webhooks/generic", body, headers);
    }
}
