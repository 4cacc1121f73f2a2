package callbridge.admin;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static callbridge.support.SalpreEvents.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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

/** The admin API the ops page reads: the call list, the paged call view, raw events, triggers, the summary. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.admin-token=ops-token", "vapi.webhook-secret=" + AdminApiTest.VAPI_SECRET})
class AdminApiTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer ops-token");
    static final String VERBEX_SEED_CALL = "69ef5c43425e3c729ab8c83f";
    static final String VAPI_SECRET = "vapi-s3cret";

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "admin-api", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void callsAreListedNewestFirstByStateAndProvider() throws Exception {
        salpre(lifecycle("call_answered", 960001, 1760084576));               // stays open
        salpre(lifecycle("call_answered", 960002, 1760084576));
        salpre(ended(960002, 1760084597, List.of()));                          // delivered
        String verbexCall = "aa00000000000000000960003";
        assertThat(bridge.post("/webhooks/verbex", BridgeTestSupport.resource("/verbex/call_started.json")
                .replace(VERBEX_SEED_CALL, verbexCall)).statusCode()).isEqualTo(200);
        cekura.awaitOnlyCall("salpre-960002");
        await().atMost(Duration.ofSeconds(5)).until(() -> "delivered".equals(state(calls("state=delivered"), "960002")));

        List<JsonNode> all = calls("limit=500");
        assertThat(ids(all).stream().filter(List.of(verbexCall, "960002", "960001")::contains))
                .containsExactly(verbexCall, "960002", "960001");
        assertThat(all).extracting(c -> java.time.Instant.parse(c.path("firstEventAt").asText()))
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        JsonNode delivered = all.stream().filter(c -> c.path("callId").asText().equals("960002")).findFirst().orElseThrow();
        assertThat(delivered.fieldNames()).toIterable().containsExactly("provider", "callId", "state", "test",
                "firstEventAt", "lastEventAt", "endedReceivedAt", "attempts", "completionFailures", "lastStatus", "lastError", "deliveredAt");
        assertThat(delivered.path("provider").asText()).isEqualTo("salpre");
        assertThat(delivered.path("attempts").asInt()).isEqualTo(1);
        assertThat(delivered.path("lastStatus").asInt()).isEqualTo(200);
        assertThat(delivered.path("deliveredAt").asText()).isNotEmpty();

        List<JsonNode> openSalpre = calls("state=open&provider=salpre");
        assertThat(ids(openSalpre)).contains("960001").doesNotContain("960002", verbexCall);
        assertThat(openSalpre).allMatch(c -> c.path("state").asText().equals("open") && c.path("provider").asText().equals("salpre"));
        assertThat(ids(calls("state=delivered"))).contains("960002").doesNotContain("960001", verbexCall);
        assertThat(ids(calls("provider=verbex"))).containsExactly(verbexCall);
        assertThat(calls("provider=nobody")).isEmpty();
        assertThat(ids(calls("limit=1"))).containsExactly(ids(all).get(0));
        assertThat(calls("")).hasSize(Math.min(all.size(), RecentCalls.DEFAULT_LIMIT));
    }

    @Test
    void badListParametersAre400NamingTheParameter() {
        Map<String, String> bad = Map.of(
                "/admin/calls?limit=0", "limit must be a whole number from 1 to 500",
                "/admin/calls?limit=501", "limit must be a whole number from 1 to 500",
                "/admin/calls?limit=ten", "limit must be a whole number from 1 to 500",
                "/admin/calls?state=lost", "state must be one of open, completing, pending, delivering, delivered, "
                        + "dead-lettered, dry-run, test-not-forwarded",
                "/admin/calls?provider=sal%20pre", "provider must be a provider name: 1 to 64 letters, digits, - or _",
                "/admin/calls?status=open", "unknown parameter 'status'; this endpoint takes limit, provider, state",
                "/admin/calls?state=open&state=delivered", "parameter state given more than once",
                "/admin/outbound-triggers?status=dialling", "status must be one of received, dialing, dialed, failed, expired",
                "/admin/outbound-triggers?limit=-1", "limit must be a whole number from 1 to 500");
        bad.forEach((path, error) -> {
            HttpResponse<String> answer = bridge.get(path, ADMIN);
            assertThat(answer.statusCode()).as(path).isEqualTo(400);
            assertThat(answer.body()).as(path).isEqualTo(BridgeTestSupport.JSON.createObjectNode().put("error", error).toString());
            assertThat(answer.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
            assertThat(answer.headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
        });
        HttpResponse<String> empty = bridge.get("/admin/calls?limit=500&state=&provider=", ADMIN);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(empty.headers().firstValue("Content-Security-Policy")).hasValue(AdminAnswers.DATA_POLICY);
    }

    @Test
    void aCallsEventsArePagedWithoutRawBodiesAndEachRawBodyComesOnRequest() throws Exception {
        List<String> posted = List.of(
                lifecycle("call_initiated", 960101, 1760084505),
                lifecycle("call_ringing", 960101, 1760084555),
                lifecycle("call_answered", 960101, 1760084576),
                transcript(960101, 1760084580, "ai", "Hello, how can I help?", null),
                transcript(960101, 1760084585, "customer", "I need my bill", null));
        posted.forEach(this::salpre);

        JsonNode first = view("960101", "?eventsLimit=2");
        assertThat(first.path("eventCount").asInt()).isEqualTo(5);
        assertThat(first.path("events")).hasSize(2);
        JsonNode event = first.path("events").get(0);
        assertThat(event.fieldNames()).toIterable()
                .containsExactly("id", "eventType", "kind", "test", "occurredAt", "receivedAt", "rawBytes");
        assertThat(event.path("eventType").asText()).isEqualTo("call_initiated");
        assertThat(event.path("rawBytes").asInt()).isEqualTo(posted.get(0).getBytes(StandardCharsets.UTF_8).length);
        assertThat(first.path("nextEventsAfter").asLong()).isEqualTo(first.path("events").get(1).path("id").asLong());
        assertThat(first.path("state").asText()).isEqualTo("open");       // the view's own fields are kept
        assertThat(first.has("deliveryAttempts")).isTrue();

        JsonNode second = view("960101", "?eventsLimit=2&eventsAfter=" + first.path("nextEventsAfter").asLong());
        assertThat(second.path("events")).extracting(e -> e.path("eventType").asText()).containsExactly("call_answered", "transcript");
        JsonNode last = view("960101", "?eventsLimit=2&eventsAfter=" + second.path("nextEventsAfter").asLong());
        assertThat(last.path("events")).hasSize(1);
        assertThat(last.path("nextEventsAfter").isNull()).isTrue();
        JsonNode whole = view("960101", "");
        assertThat(whole.path("events")).hasSize(5);
        assertThat(whole.path("nextEventsAfter").isNull()).isTrue();

        List<Long> ids = new ArrayList<>();
        whole.path("events").forEach(e -> ids.add(e.path("id").asLong()));
        for (int i = 0; i < ids.size(); i++) {
            HttpResponse<String> raw = bridge.get("/admin/calls/salpre/960101/events/" + ids.get(i), ADMIN);
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.body()).isEqualTo(posted.get(i));
            assertThat(raw.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(raw.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(raw.headers().firstValue("Cache-Control")).hasValue("no-store");
        }
        salpre(lifecycle("call_answered", 960102, 1760084576));
        HttpResponse<String> otherCall = bridge.get("/admin/calls/salpre/960102/events/" + ids.get(0), ADMIN);
        assertThat(otherCall.statusCode()).isEqualTo(404);
        assertThat(otherCall.body()).isEqualTo("{\"error\":\"no event " + ids.get(0) + " in call salpre/960102\"}");
        assertThat(bridge.get("/admin/calls/salpre/960101/events/first", ADMIN).statusCode()).isEqualTo(404);
        assertThat(bridge.get("/admin/calls/salpre/960101/events/" + ids.get(0)).statusCode()).isEqualTo(401);

        for (String query : List.of("?eventsLimit=0", "?eventsLimit=501", "?eventsAfter=-1", "?eventsAfter=x", "?raw=true")) {
            HttpResponse<String> answer = bridge.get("/admin/calls/salpre/960101" + query, ADMIN);
            assertThat(answer.statusCode()).as(query).isEqualTo(400);
            assertThat(answer.body()).as(query).startsWith("{\"error\":\"");
        }
        assertThat(bridge.get("/admin/calls/salpre/960101?eventsLimit=500", ADMIN).statusCode()).isEqualTo(200);
    }

    @Test
    void outboundTriggersAreListedNewestFirstByStatus() throws Exception {
        String first = triggerId(bridge.post("/cekura/outbound-trigger", "{\"from_number\":\"+15551234567\",\"to_number\":\"+14155550101\"}"));
        String second = triggerId(bridge.post("/cekura/outbound-trigger", "{\"from_number\":\"+15551234567\",\"to_number\":\"+14155550102\"}"));
        // no OUTBOUND_DIAL_URL here: both end failed
        await().atMost(Duration.ofSeconds(10)).until(() -> ids(triggers("status=failed")).containsAll(List.of(first, second)));

        List<JsonNode> all = triggers("");
        assertThat(ids(all).stream().filter(List.of(first, second)::contains)).containsExactly(second, first);
        JsonNode newest = all.stream().filter(t -> t.path("id").asText().equals(second)).findFirst().orElseThrow();
        assertThat(newest.fieldNames()).toIterable().containsExactly("id", "status", "fromNumber", "toNumber", "receivedAt",
                "dialDeadline", "firstAttemptAt", "dialedAt", "attempts", "providerCallId", "lastStatus", "lastError");
        assertThat(newest.path("toNumber").asText()).isEqualTo("+14155550102");
        assertThat(triggers("status=dialed")).isEmpty();
        assertThat(triggers("limit=1")).hasSize(1);
        assertThat(bridge.get("/admin/outbound-triggers/" + first, ADMIN).body()).contains("\"status\":\"failed\"");
        assertThat(bridge.get("/admin/outbound-triggers").statusCode()).isEqualTo(401);
    }

    @Test
    void theSummaryNamesEveryStateAndStatus() throws Exception {
        salpre(lifecycle("call_answered", 960201, 1760084576));
        HttpResponse<String> answer = bridge.get("/admin/summary", ADMIN);
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode summary = BridgeTestSupport.JSON.readTree(answer.body());
        assertThat(summary.path("calls").fieldNames()).toIterable().containsExactly("open", "completing", "pending",
                "delivering", "delivered", "dead-lettered", "dry-run", "test-not-forwarded");
        assertThat(summary.path("calls").path("open").asLong()).isEqualTo(calls("state=open&limit=500").size());
        assertThat(summary.path("deadLetters").fieldNames()).toIterable().containsExactly("waiting", "replaying");
        assertThat(summary.path("outboundTriggers").fieldNames()).toIterable()
                .containsExactly("received", "dialing", "dialed", "failed", "expired");
        assertThat(bridge.get("/admin/summary", Map.of("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
    }

    /** Only this test refuses webhooks in this context: vapi's rotated secret, and one malformed salpre body among good ones. */
    @Test
    void theSummaryShowsRefusedWebhooksByProviderAndReason() throws Exception {
        for (int i = 0; i < 2; i++) {
            assertThat(bridge.post("/webhooks/vapi", "{\"message\":{\"type\":\"status-update\"}}",
                    Map.of("X-Vapi-Secret", "the-old-secret")).statusCode()).isEqualTo(401);
        }
        salpre(lifecycle("call_answered", 960301, 1760084576));
        assertThat(bridge.post("/webhooks/salpre", "{not json").statusCode()).isEqualTo(400);

        JsonNode summary = BridgeTestSupport.JSON.readTree(bridge.get("/admin/summary", ADMIN).body());
        assertThat(summary.fieldNames()).toIterable().containsExactly("calls", "deadLetters", "outboundTriggers", "refusedWebhooks");
        long salpreAccepted = summary.path("refusedWebhooks").path("providers").path(0).path("accepted").asLong();
        assertThat(salpreAccepted).isPositive();   // this test's event, and the other tests' so far
        JSONAssert.assertEquals("""
                {"window":"15m","providers":[
                  {"provider":"salpre","accepted":%d,"refused":{"malformed":1},"refusedOnly":false},
                  {"provider":"vapi","accepted":0,"refused":{"unauthorized":2},"refusedOnly":true}]}
                """.formatted(salpreAccepted), summary.path("refusedWebhooks").toString(), JSONCompareMode.STRICT);
    }

    @Test
    void thePageAndItsFilesComeFromTheJarWithoutAToken() {
        HttpResponse<String> page = bridge.get("/admin/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(AdminAnswers.PAGE_POLICY);
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body()).contains("<input id=\"token\" name=\"token\" type=\"password\"",
                "data-action=\"replay-all\"", "<script src=\"assets/ops.js\" defer></script>");
        assertThat(page.body()).doesNotContain("http://", "https://");           // nothing from another host
        HttpResponse<String> script = bridge.get("/admin/assets/ops.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=utf-8");
        assertThat(script.body()).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(");
        assertThat(bridge.get("/admin/assets/ops.css").headers().firstValue("Content-Type")).hasValue("text/css;charset=utf-8");
        assertThat(bridge.get("/admin/assets/secrets.txt").statusCode()).isEqualTo(404);
        assertThat(bridge.get("/admin/assets/..%2Fapplication.yml").statusCode()).isIn(400, 404);
        HttpResponse<String> bare = bridge.get("/admin");
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location")).hasValue("admin/");
        // the page holds no data; its data needs the token
        assertThat(bridge.get("/admin/calls").statusCode()).isEqualTo(401);
        assertThat(bridge.get("/admin/calls").body()).isEqualTo("{\"error\":\"missing or invalid admin token\"}");
    }

    private void salpre(String body) {
        assertThat(bridge.post("/webhooks/salpre", body).statusCode()).isEqualTo(200);
    }

    private JsonNode view(String callId, String query) throws Exception {
        HttpResponse<String> answer = bridge.get("/admin/calls/salpre/" + callId + query, ADMIN);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return BridgeTestSupport.JSON.readTree(answer.body());
    }

    private List<JsonNode> calls(String query) throws Exception {
        return list("/admin/calls?" + query);
    }

    private List<JsonNode> triggers(String query) throws Exception {
        return list("/admin/outbound-triggers?" + query);
    }

    private List<JsonNode> list(String path) throws Exception {
        HttpResponse<String> answer = bridge.get(path, ADMIN);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        BridgeTestSupport.JSON.readTree(answer.body()).forEach(out::add);
        return out;
    }

    private static List<String> ids(List<JsonNode> items) {
        return items.stream().map(i -> i.has("callId") ? i.path("callId").asText() : i.path("id").asText()).toList();
    }

    private static String state(List<JsonNode> calls, String callId) {
        return calls.stream().filter(c -> c.path("callId").asText().equals(callId)).map(c -> c.path("state").asText())
                .findFirst().orElse(null);
    }

    private static String triggerId(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return BridgeTestSupport.JSON.readTree(answer.body()).path("id").asText();
    }
}
