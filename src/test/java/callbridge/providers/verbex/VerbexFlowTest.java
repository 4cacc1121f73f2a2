package callbridge.providers.verbex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Verbex (seed 002) end to end: webhooks in, the Verbex API stubbed, the call out to a stub Cekura. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.verbex-pca-wait=4s", "bridge.call-idle-timeout=3s", "verbex.api-key=verbex-key",
        "bridge.verbex-api.retry-delay=100", "bridge.verbex-api.max-redeliveries=3"})
class VerbexFlowTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final StubHttpServer verbexApi = StubHttpServer.start().answerByDefault(Answer.of(404, "{\"error\":\"not found\"}"));
    static final String SEED_CALL = "69ef5c43425e3c729ab8c83f";
    /** A host a crafted call id tries to send the API request (and its key) to. */
    static final StubHttpServer elsewhere = StubHttpServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "verbex-flow", cekura);
        registry.add("verbex.api-url", () -> verbexApi.url("/verbex-api"));
    }

    @AfterAll
    static void stop() {
        cekura.close();
        verbexApi.close();
        elsewhere.close();
    }


    @Test
    void seedCallWithPcaIsMergedWithTheApiAndDeliveredOnce() throws Exception {
        verbexApi.scriptPath("/verbex-api/calls/" + SEED_CALL, Answer.of(200, BridgeTestSupport.resource("/verbex/api_call.json")));
        for (String name : new String[] {"call_started", "call_ended", "pca_completed"}) {
            assertThat(post(fixture(name)).body()).isEqualTo("{\"status\":\"accepted\"}");
        }
        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"verbex-69ef5c43425e3c729ab8c83f",
                 "startedAt":"2026-04-27T12:53:25Z","endedAt":"2026-04-27T12:56:41Z",
                 "messages":[{"role":"bot","content":"Hello, thanks for calling.","start_time":1777294406000,"end_time":1777294408000},
                             {"role":"user","content":"Hi, I need help with my order.","start_time":1777294409000,"end_time":1777294411000}],
                 "to_phone_number":"+18005550199","from_phone_number":"+14155550100",
                 "metadata":{"provider":"verbex","direction":"inbound",
                             "organization_id":"27117463-c11e-4c75-affd-f743216f1bef",
                             "agent_id":"c51ab1b1-7eac-452d-8ba5-86a922d694e7",
                             "pca_status":"success","pca_reason":"success",
                             "recording_url":"https://recordings.example.com/69ef5c43.wav",
                             "pca":{"summary":"Customer asked about an order","sentiment":"positive","outcome":"resolved"},
                             "verbex":{"queue":"support-emea"}},
                 "endedReason":"customer-hungup"}]}""", cekura.awaitOnlyCall("verbex-" + SEED_CALL).body(), JSONCompareMode.STRICT);
        StubHttpServer.Request fetch = verbexApi.requestsTo("/verbex-api/calls/" + SEED_CALL).get(0);
        assertThat(fetch.method()).isEqualTo("GET");
        assertThat(fetch.header("Authorization")).isEqualTo("Bearer verbex-key");
    }

    @Test
    void craftedCallIdIsOnePathSegmentNeverEndpointOptions() throws Exception {
        String port = elsewhere.url("").replaceAll(".*:", "");
        String id = "c1?proxyHost=127.0.0.1&proxyPort=" + port + "&x=";
        verbexApi.scriptPath("/verbex-api/calls/" + id, Answer.of(200, BridgeTestSupport.resource("/verbex/api_call.json").replace(SEED_CALL, "c1")));
        endWithPca(id);

        JsonNode call = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("verbex-" + id).body()).path("calls").get(0);
        assertThat(call.path("id").asText()).isEqualTo("verbex-" + id);
        assertThat(call.path("endedReason").asText()).isEqualTo("customer-hungup");     // the API's answer was merged
        List<StubHttpServer.Request> fetches = verbexApi.requests(r -> r.path().startsWith("/verbex-api/calls/c1"));
        assertThat(fetches).singleElement().satisfies(fetch -> {
            assertThat(fetch.method()).isEqualTo("GET");
            assertThat(fetch.rawPath()).isEqualTo("/verbex-api/calls/c1%3FproxyHost%3D127.0.0.1%26proxyPort%3D" + port + "%26x%3D");
            assertThat(fetch.header("Authorization")).isEqualTo("Bearer verbex-key");
        });
        assertThat(elsewhere.requests()).isEmpty();
    }

    @Test
    void callIdsWithOddCharactersRoundTripAsOneSegment() throws Exception {
        List<String> ids = List.of("odd/slash", "odd?query", "odd#fragment", "odd&amp", "odd%percent", "odd%2Fencoded",
                "odd space", "odd-\u00e9t\u00e9", "odd+plus", "odd;semi", "odd${header.Authorization}", "..");
        for (String id : ids) {
            endWithPca(id);
        }
        for (String id : ids) {
            assertThat(cekura.awaitOnlyCall("verbex-" + id)).isNotNull();
            List<StubHttpServer.Request> fetches = verbexApi.requests(r -> r.rawPath().startsWith("/verbex-api/calls/")
                    && id.equals(percentDecoded(r.rawPath().substring("/verbex-api/calls/".length()))));
            assertThat(fetches).as("fetch of %s", id).singleElement()
                    .satisfies(fetch -> assertThat(fetch.rawPath().substring("/verbex-api/calls/".length())).matches("[A-Za-z0-9._~%-]+"));
        }
        assertThat(verbexApi.requests(r -> r.path().equals("/verbex-api/calls") || r.path().equals("/verbex-api/")
                || r.path().equals("/verbex-api"))).isEmpty();
    }

    /** RFC 3986 percent-decoding (a '+' stays a '+'). */
    private static String percentDecoded(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Test
    void pcaBeforeCallEndedClosesTheCallWithoutWaiting() throws Exception {
        String id = "pca-first-0001";
        post(withCall(fixture("pca_completed"), id));
        Instant ended = Instant.now();
        post(withCall(fixture("call_ended"), id));

        StubHttpServer.Request sent = cekura.awaitOnlyCall("verbex-" + id);
        // the PCA wait is 4 s: the call went out on the end's arrival (grace does not add to it)
        assertThat(Duration.between(ended, sent.at())).isLessThan(Duration.ofMillis(3500));
        JsonNode call = BridgeTestSupport.JSON.readTree(sent.body()).path("calls").get(0);
        assertThat(call.path("metadata").path("pca_status").asText()).isEqualTo("success");
        assertThat(verbexApi.requestsTo("/verbex-api/calls/" + id)).hasSize(1);
    }

    @Test
    void whenPcaNeverArrivesTheApiIsFetchedAfterTheWait() throws Exception {
        String id = "no-pca-0001";
        verbexApi.scriptPath("/verbex-api/calls/" + id, Answer.of(200, BridgeTestSupport.resource("/verbex/api_call.json").replace(SEED_CALL, id)));
        post(withCall(fixture("call_started"), id));
        Instant ended = Instant.now();
        post(withCall(fixture("call_ended"), id));

        StubHttpServer.Request sent = cekura.awaitOnlyCall("verbex-" + id);
        assertThat(Duration.between(ended, sent.at())).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        JsonNode call = BridgeTestSupport.JSON.readTree(sent.body()).path("calls").get(0);
        assertThat(call.path("messages")).hasSize(2);
        assertThat(call.path("endedReason").asText()).isEqualTo("customer-hungup");
    }

    @Test
    void apiServerErrorThenSuccessIsRetried() throws Exception {
        String id = "api-flaky-0001";
        verbexApi.scriptPath("/verbex-api/calls/" + id,
                Answer.of(200, BridgeTestSupport.resource("/verbex/api_call.json").replace(SEED_CALL, id)), Answer.of(500));
        endWithPca(id);

        JsonNode call = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("verbex-" + id).body()).path("calls").get(0);
        assertThat(verbexApi.requestsTo("/verbex-api/calls/" + id)).hasSize(2);
        assertThat(call.path("messages").get(0).path("content").asText()).isEqualTo("Hello, thanks for calling.");
        assertThat(call.path("metadata").path("recording_url").asText()).isEqualTo("https://recordings.example.com/69ef5c43.wav");
    }

    @Test
    void apiDownMeansTheWebhooksAloneAreDelivered() throws Exception {
        String id = "api-down-0001";
        verbexApi.scriptPath("/verbex-api/calls/" + id, Answer.of(503));
        post(withCall(fixture("call_started"), id));
        endWithPca(id);

        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"verbex-api-down-0001",
                 "startedAt":"2026-04-27T12:53:25.241195387Z","endedAt":"2026-04-27T12:56:41.599271364Z","messages":[],
                 "metadata":{"provider":"verbex","organization_id":"27117463-c11e-4c75-affd-f743216f1bef",
                             "agent_id":"c51ab1b1-7eac-452d-8ba5-86a922d694e7","pca_status":"success","pca_reason":"success"},
                 "endedReason":"unknown"}]}""", cekura.awaitOnlyCall("verbex-" + id).body(), JSONCompareMode.STRICT);
        assertThat(verbexApi.requestsTo("/verbex-api/calls/" + id)).hasSize(4); // 1 + 3 redeliveries
    }

    @Test
    void transferOnlyCallIsDeliveredWithItsTranscriptAndTransferFacts() throws Exception {
        HttpResponse<String> answer = post(BridgeTestSupport.resource("/verbex/call_transferred.json"),
                Map.of("X-Webhook-Event", "CallHandler.CallTransferred"));
        assertThat(answer.body()).isEqualTo("{\"status\":\"accepted\"}");

        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"verbex-697a020fc0baee039d0013b4",
                 "startedAt":"2026-01-28T12:33:37.475817Z","endedAt":"2026-01-28T12:34:23.097263Z",
                 "messages":[{"role":"user","content":"Hi, I need assistance with my account."},
                             {"role":"bot","content":"How can I help you today?"},
                             {"role":"user","content":"Okay. Can you transfer the call to a human agent?"},
                             {"role":"bot","content":"Of course, I'll transfer you to a human agent now. Please hold on a moment."},
                             {"role":"bot","content":"Please wait while we connect you to a human agent."}],
                 "from_phone_number":"+8801762668080",
                 "metadata":{"provider":"verbex","agent_id":"d077dc85-ee45-48cd-ac65-fd49df53cdba",
                             "transfer_to":"sip:01751373839@115.127.146.155","transfer_status":"failed",
                             "transfer_reason":"Customer requested to speak with a human agent.",
                             "summary":{"duration_seconds":45.621591,"topics_discussed":["call_transfer_request"],
                                        "actions_taken":["Acknowledged transfer request","Initiated call transfer to human agent"],
                                        "transfer_reason":"Customer requested to speak with a human agent.",
                                        "customer_sentiment":"neutral","unresolved_issues":[]},
                             "sentiment":"neutral","unresolved_issues":[],"topics":["call_transfer_request"],
                             "language":"en-US","closed_by":"idle-timeout"},
                 "endedReason":"unknown"}]}""", cekura.awaitOnlyCall("verbex-697a020fc0baee039d0013b4").body(), JSONCompareMode.STRICT);
    }

    @Test
    void aReSendWithTheSameTraceIdAndEventNameIsADuplicate() {
        String started = traced(fixture("call_started"), "dedupe-0001", "trace-dedupe-1");
        assertAnswer(post(started), 200, "{\"status\":\"accepted\"}");
        // re-sent with another timestamp: other bytes, same traceId and event
        assertAnswer(post(started.replace("12:53:25.241195387Z", "12:53:26Z")), 200, "{\"status\":\"duplicate\"}");
    }

    @Test
    void theSameTraceIdOnAnotherEventIsANewEvent() {
        String id = "dedupe-0002";
        assertAnswer(post(traced(fixture("call_started"), id, "trace-dedupe-2")), 200, "{\"status\":\"accepted\"}");
        assertAnswer(post(traced(fixture("call_ended"), id, "trace-dedupe-2")), 200, "{\"status\":\"accepted\"}");
        assertAnswer(post(traced(fixture("pca_completed"), id, "trace-dedupe-2")), 200, "{\"status\":\"accepted\"}");
    }

    @Test
    void aTraceIdOnlyInTheXWebhookTraceidHeaderDedupes() {
        // no envelope: the trace id and the name come from the headers
        String transfer = BridgeTestSupport.resource("/verbex/call_transferred.json").replace("697a020fc0baee039d0013b4", "dedupe-0003");
        Map<String, String> headers = Map.of("X-Webhook-Event", "CallHandler.CallTransferred", "X-Webhook-Traceid", "trace-dedupe-3");
        assertAnswer(post(transfer, headers), 200, "{\"status\":\"accepted\"}");
        assertAnswer(post(transfer.replace("en-US", "en-GB"), headers), 200, "{\"status\":\"duplicate\"}");
        // another trace id in the header: another event
        assertAnswer(post(transfer.replace("en-US", "en-GB"), Map.of("X-Webhook-Event", "CallHandler.CallTransferred",
                "X-Webhook-Traceid", "trace-dedupe-3b")), 200, "{\"status\":\"accepted\"}");
        // an envelope without its traceId: the header's
        String started = withCall(withoutTraceId(fixture("call_started")), "dedupe-0003");
        assertAnswer(post(started, Map.of("X-Webhook-Traceid", "trace-dedupe-3")), 200, "{\"status\":\"accepted\"}");
        assertAnswer(post(started.replace("12:53:25.241195387Z", "12:53:26Z"), Map.of("X-Webhook-Traceid", "trace-dedupe-3")), 200,
                "{\"status\":\"duplicate\"}");
        // the body's traceId outranks the header's
        String traced = traced(fixture("call_ended"), "dedupe-0003", "trace-dedupe-3c");
        assertAnswer(post(traced, Map.of("X-Webhook-Traceid", "header-trace-1")), 200, "{\"status\":\"accepted\"}");
        assertAnswer(post(traced.replace("12:56:41", "12:56:42"), Map.of("X-Webhook-Traceid", "header-trace-2")), 200,
                "{\"status\":\"duplicate\"}");
    }

    @Test
    void withoutAnyTraceIdOnlyAByteIdenticalReSendIsADuplicate() {
        String started = withCall(withoutTraceId(fixture("call_started")), "dedupe-0004");
        assertAnswer(post(started), 200, "{\"status\":\"accepted\"}");
        assertAnswer(post(started), 200, "{\"status\":\"duplicate\"}");
        assertAnswer(post(started.replace("12:53:25.241195387Z", "12:53:26Z")), 200, "{\"status\":\"accepted\"}");
        // an empty header is no trace id
        String transfer = BridgeTestSupport.resource("/verbex/call_transferred.json").replace("697a020fc0baee039d0013b4", "dedupe-0004");
        Map<String, String> headers = Map.of("X-Webhook-Event", "CallHandler.CallTransferred", "X-Webhook-Traceid", "");
        assertAnswer(post(transfer, headers), 200, "{\"status\":\"accepted\"}");
        assertAnswer(post(transfer.replace("en-US", "en-GB"), headers), 200, "{\"status\":\"accepted\"}");
    }

    @Test
    void numericAndIsoTimestampsAreBothRead() throws Exception {
        String id = "timestamps-0001";
        post(withCall(fixture("call_started"), id).replace("\"2026-04-27T12:53:25.241195387Z\"", "1777294405"));
        endWithPca(id);

        JsonNode call = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("verbex-" + id).body()).path("calls").get(0);
        assertThat(call.path("startedAt").asText()).isEqualTo("2026-04-27T12:53:25Z");
        assertThat(call.path("endedAt").asText()).isEqualTo("2026-04-27T12:56:41.599271364Z");
    }

    @Test
    void missingEventNameIs400() {
        String missing = "{\"error\":\"missing required field: eventName (or header X-Webhook-Event)\"}";
        assertAnswer(post("{\"traceId\":\"t\",\"payload\":{\"call_id\":\"x\"}}"), 400, missing);
        assertAnswer(post("{\"traceId\":\"t\",\"eventName\":\"\",\"payload\":{\"call_id\":\"x\"}}"), 400, missing);
        assertAnswer(post(BridgeTestSupport.resource("/verbex/call_transferred.json"), Map.of("X-Webhook-Event", "")), 400, missing);
        assertAnswer(post("{\"eventName\":\"CallHandler.CallEnded\",\"payload\":{}}"), 400,
                "{\"error\":\"missing required field: payload.call_id\"}");
        // the transfer's call is the body itself
        assertAnswer(post("{\"payload\":{\"call_id\":\"x\"}}", Map.of("X-Webhook-Event", "CallHandler.CallTransferred")), 400,
                "{\"error\":\"missing required field: call_id\"}");
        // an event type the table does not know is kept (OTHER), with or without a call
        assertAnswer(post("{\"eventName\":\"CallHandler.Something\"}"), 200, "{\"status\":\"accepted\"}");
    }

    private static void assertAnswer(HttpResponse<String> answer, int status, String body) {
        assertThat(answer.body()).isEqualTo(body);
        assertThat(answer.statusCode()).isEqualTo(status);
    }

    private void endWithPca(String id) {
        post(withCall(fixture("call_ended"), id));
        post(withCall(fixture("pca_completed"), id));
    }

    private static String fixture(String name) {
        return BridgeTestSupport.resource("/verbex/" + name + ".json");
    }

    /** The seed event for another call with a trace id of its own. */
    private static String traced(String envelope, String callId, String traceId) {
        String traced = withCall(envelope.replace("\"traceId\":\"" + SEED_CALL + "\"", "\"traceId\":\"" + traceId + "\""), callId);
        assertThat(traced).contains("\"traceId\":\"" + traceId + "\"");
        return traced;
    }

    private static String withoutTraceId(String envelope) {
        String stripped = envelope.replace("\"traceId\":\"" + SEED_CALL + "\",", "");
        assertThat(stripped).doesNotContain("traceId");
        return stripped;
    }

    /** The seed event for another call: its own call id and trace id. */
    private static String withCall(String body, String callId) {
        return body.replace(SEED_CALL, callId);
    }

    private HttpResponse<String> post(String body) {
        return bridge.post("/webhooks/verbex", body);
    }

    private HttpResponse<String> post(String body, Map<String, String> headers) {
        return bridge.post("/webhooks/verbex", body, headers);
    }

}
