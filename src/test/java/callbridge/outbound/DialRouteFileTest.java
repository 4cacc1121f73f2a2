package callbridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callbridge.CallBridgeApplication;
import callbridge.support.BridgeClient;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import callbridge.support.TestStores;
import callbridge.web.RouteFileFailureAnalyzer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The dial as a route file: another platform added without Java, and the start refusing, in one line naming the
 * variable, a chosen platform that cannot dial.
 */
@ExtendWith(OutputCaptureExtension.class)
class DialRouteFileTest {

    @Test
    void aPlatformAddedAsARouteFileDialsWithoutJava() throws Exception {
        Path routes = Files.createTempDirectory("dial-routes");
        Files.writeString(routes.resolve("dial-acme.camel.yaml"), """
                - beans:
                    - name: dialAcmeSettings
                      type: callbridge.outbound.DialSettings
                      properties: { platform: acme, required: acme.api-key }
                - route:
                    id: bridge-dial-acme
                    routeConfigurationId: bridge-dial-errors
                    from:
                      uri: direct:bridge-dial-acme
                      steps:
                        - setProperty: { name: dial.caller, simple: "${exchangeProperty.bridgeFromNumber}" }
                        - setProperty: { name: dial.callee, simple: "${exchangeProperty.bridgeToNumber}" }
                        - setProperty: { name: dial.context.vars, simple: "${exchangeProperty.bridgeDynamicVariables}" }
                        - process: { ref: bridgeDialRequest }
                        - setHeader: { name: X-Acme-Key, constant: "{{acme.api-key}}" }
                        - to: "{{acme.api-url}}/calls?connectTimeout={{outbound.connect-timeout-ms:5000}}"
                        - setProperty: { name: bridgeDialCallId, jsonpath: { expression: $.call.uuid, suppressExceptions: true, resultType: java.lang.String } }
                """);
        try (StubHttpServer acme = StubHttpServer.start().answerByDefault(Answer.of(202, "{\"call\":{\"uuid\":\"acme-77\"}}"));
             ConfigurableApplicationContext bridge = new SpringApplicationBuilder(CallBridgeApplication.class).run(args(routes,
                     "--spring.datasource.url=" + TestStores.fresh("dial-route-file"), "--spring.datasource.username=" + TestStores.username(),
                     "--outbound.provider=acme", "--acme.api-key=acme-secret", "--acme.api-url=" + acme.url("")))) {
            var answer = BridgeClient.of(bridge).post("/cekura/outbound-trigger",
                    "{\"from_number\":\"+15551234567\",\"to_number\":\"+14155550777\",\"dynamic_variables\":{\"name\":\"Ada\"}}", Map.of());
            JsonNode body = BridgeTestSupport.JSON.readTree(answer.body());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
            assertThat(body.path("status").asText()).isEqualTo("dialed");
            assertThat(body.path("call_id").asText()).isEqualTo("acme-77");
            StubHttpServer.Request call = acme.requests().get(0);
            assertThat(call.path()).isEqualTo("/calls");
            assertThat(call.header("X-Acme-Key")).isEqualTo("acme-secret");
            JSONAssert.assertEquals("{\"caller\":\"+15551234567\",\"callee\":\"+14155550777\",\"context\":{\"vars\":{\"name\":\"Ada\"}}}",
                    call.body(), JSONCompareMode.STRICT);
        }
    }

    @Test
    void aChosenPlatformWithoutItsSettingsStopsTheStartWithOneLine(CapturedOutput output) {
        assertRefused(List.of("--outbound.provider=vapi", "--vapi.assistant-id=asst_1", "--vapi.phone-number-ids=+15551234567=pn_1"),
                "OUTBOUND_PROVIDER is vapi: set VAPI_API_KEY");
        assertRefused(List.of("--outbound.provider=vapi", "--vapi.api-key=k", "--vapi.assistant-id=asst_1", "--vapi.phone-number-ids= "),
                "OUTBOUND_PROVIDER is vapi: set VAPI_PHONE_NUMBER_IDS (+E164=id,...: the platform's id of each number the calls come from)");
        assertRefused(List.of("--outbound.provider=vapi", "--vapi.api-key=k", "--vapi.assistant-id=asst_1", "--vapi.phone-number-ids=15551234567=pn_1"),
                "VAPI_PHONE_NUMBER_IDS has an entry '15551234567=pn_1' that is not +E164=id (E.164: + and 8 to 15 digits; entries separated by commas)");
        assertRefused(List.of("--outbound.provider=elevenlabs", "--elevenlabs.api-key=k", "--elevenlabs.phone-number-ids=+15551234567=ph_1"),
                "OUTBOUND_PROVIDER is elevenlabs: set ELEVENLABS_AGENT_ID");
        assertRefused(List.of("--outbound.provider=elevenlabs", "--elevenlabs.api-key=k", "--elevenlabs.agent-id=a",
                "--elevenlabs.phone-number-ids=+15551234567=ph_1", "--elevenlabs.telephony=pstn"),
                "ELEVENLABS_TELEPHONY is 'pstn': it must be one of twilio, sip-trunk");
        assertRefused(List.of("--outbound.provider=bland", "--bland.api-key=k"), "OUTBOUND_PROVIDER is bland: set BLAND_PATHWAY_ID or BLAND_TASK");
        assertRefused(List.of("--outbound.provider=retell"), "OUTBOUND_PROVIDER is retell: set RETELL_API_KEY");
        assertRefused(List.of("--outbound.provider=http"), "OUTBOUND_PROVIDER is http: set OUTBOUND_DIAL_URL");
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
                .contains("OUTBOUND_PROVIDER is vapi: set VAPI_API_KEY")
                .doesNotContain("at org.apache.camel.spring.boot.CamelSpringBootApplicationListener");
    }

    @Test
    void aDialRouteThatDoesNotExistOrAWaitPastCekurasStopsTheStart() throws Exception {
        assertRefused(List.of("--outbound.provider=acme"),
                "OUTBOUND_PROVIDER is acme but no route file (bundled, or in BRIDGE_ROUTES_DIR routes) has a route from direct:bridge-dial-acme");
        assertRefused(List.of("--outbound.provider=Acme?x=1"),
                "OUTBOUND_PROVIDER 'Acme?x=1' is not a dial route name (lowercase letters, digits and '-'; the route is direct:bridge-dial-<name>)");
        assertRefused(List.of("--outbound.dial-url=http://127.0.0.1:9/dial", "--outbound.answer-wait=40s"),
                "OUTBOUND_ANSWER_WAIT is 40000ms: it must be between 0s and 25s, since Cekura waits at most 30 s for the trigger's answer");

        Path routes = Files.createTempDirectory("dial-routes-no-errors");
        Files.writeString(routes.resolve("dial-acme.camel.yaml"), """
                - route:
                    id: bridge-dial-acme
                    from:
                      uri: direct:bridge-dial-acme
                      steps:
                        - to: "http://127.0.0.1:9/calls"
                """);
        Throwable failure = start(args(routes, "--outbound.provider=acme"));
        assertThat(new RouteFileFailureAnalyzer().analyze(failure).getDescription()).isEqualTo(
                "The dial route bridge-dial-acme (from direct:bridge-dial-acme) needs 'routeConfigurationId: bridge-dial-errors', so that its failures reach the dial's retries");
    }

    private static void assertRefused(List<String> settings, String line) {
        List<String> all = new ArrayList<>(settings);
        all.add("--bridge.routes-dir=routes");
        FailureAnalysis analysis = new RouteFileFailureAnalyzer().analyze(start(args(null, all.toArray(String[]::new))));
        assertThat(analysis).as("no one-line analysis for " + settings).isNotNull();
        assertThat(analysis.getDescription()).isEqualTo(line);
    }

    private static String[] args(Path routes, String... more) {
        Stream<String> base = Stream.of("--server.port=0", "--spring.datasource.url=jdbc:h2:mem:dial-route-file");
        if (routes != null) {
            base = Stream.concat(base, Stream.of("--bridge.routes-dir=" + routes));
        }
        // a later --spring.datasource.url wins: Spring's command line keeps the last value
        return Stream.concat(base, Stream.of(more)).toArray(String[]::new);
    }

    private static Throwable start(String[] args) {
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> new SpringApplicationBuilder(CallBridgeApplication.class).run(args).close())
                .satisfies(t -> thrown[0] = t);
        return thrown[0];
    }
}
