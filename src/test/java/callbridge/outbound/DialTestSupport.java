package callbridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the per-platform dial tests share: Cekura's trigger as Cekura sends it, the admin view, the stub's requests. */
abstract class DialTestSupport extends BridgeHttpTest {
    static final String SECRET = "cekura-trigger-secret";
    static final Map<String, String> CEKURA = Map.of("X-CEKURA-SECRET", SECRET);
    static final String FROM = "+15551234567";

    /** Cekura's trigger body: from_number, to_number and (optional) dynamic_variables, with X-CEKURA-SECRET. */
    HttpResponse<String> trigger(String to, String dynamicVariables) {
        return trigger(FROM, to, dynamicVariables, CEKURA);
    }

    HttpResponse<String> trigger(String from, String to, String dynamicVariables, Map<String, String> headers) {
        String body = "{\"from_number\":\"" + from + "\",\"to_number\":\"" + to + "\""
                + (dynamicVariables == null ? "" : ",\"dynamic_variables\":" + dynamicVariables) + "}";
        return bridge.post("/cekura/outbound-trigger", body, headers);
    }

    static JsonNode answerOf(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        return BridgeTestSupport.JSON.readTree(answer.body());
    }

    /** The exact 201 body: {"success": true, "id", "status", "dial_deadline", "call_id"?}, nothing else. */
    static void assertAnswer(JsonNode answer, String status, String callId) {
        List<String> fields = callId == null ? List.of("success", "id", "status", "dial_deadline")
                : List.of("success", "id", "status", "dial_deadline", "call_id");
        assertThat(answer.fieldNames()).toIterable().containsExactlyElementsOf(fields);
        assertThat(answer.path("success").isBoolean() && answer.path("success").asBoolean()).isTrue();
        assertThat(answer.path("id").asText()).startsWith("trg_");
        assertThat(answer.path("status").asText()).isEqualTo(status);
        assertThat(java.time.Instant.parse(answer.path("dial_deadline").asText())).isAfter(java.time.Instant.now());
        if (callId != null) {
            assertThat(answer.path("call_id").asText()).isEqualTo(callId);
        }
    }

    JsonNode view(String id) throws Exception {
        return BridgeTestSupport.JSON.readTree(bridge.get("/admin/outbound-triggers/" + id).body());
    }

    JsonNode awaitStatus(String id, String status) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> status.equals(view(id).path("status").asText()));
        return view(id);
    }

    /** The one request the platform got for this number (a second copy would be a double dial). */
    static StubHttpServer.Request onlyRequestFor(StubHttpServer platform, String number) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !platform.requests(r -> r.body().contains(number)).isEmpty());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> platform.requests(r -> r.body().contains(number)).size() == 1);
        return platform.requests(r -> r.body().contains(number)).get(0);
    }

    /** Nothing of the trigger's own request reaches the platform: no Cekura secret, no alias token, no bridge header. */
    static void assertNoCredentialLeaks(StubHttpServer.Request request) {
        assertThat(request.headers().keySet()).noneMatch(h -> h.equals("x-cekura-secret") || h.equals("x-webhook-token")
                || h.startsWith("bridge") || h.startsWith("camel") || h.equals("idempotency-key"));
    }
}
