package callbridge.providers.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeClient;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The worked example of docs/route-files.md, routes/examples/acme.camel.yaml, dropped into a routes folder: no Java. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "acme.webhook-token=acme-secret")
class ProviderWithoutJavaTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final Path routes = routesWithTheExample();
    static final Map<String, String> TOKEN = Map.of("X-Webhook-Token", "acme-secret");

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "provider-without-java", cekura);
        registry.add("bridge.routes-dir", routes::toString);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @LocalServerPort
    int port;

    @Test
    void acmeCallsReachCekura() throws Exception {
        BridgeClient bridge = new BridgeClient(port);
        String answered = """
                {"delivery_id":"d-1","type":"call.answered","at":"2026-05-01T09:00:05Z",
                 "call":{"id":"ac-77","caller":"+14155550100","callee":"+18005550199"}}""";
        String hangup = """
                {"delivery_id":"d-2","type":"call.hangup","at":1777626065,"hangup_cause":"caller-hung-up",
                 "recording":"https://acme.example/rec/ac-77.mp3",
                 "call":{"id":"ac-77","caller":"+14155550100","callee":"+18005550199"},
                 "transcript":[{"speaker":"assistant","text":"Acme, how can I help?","at_ms":1777626006000},
                               {"speaker":"caller","text":"Just testing.","at_ms":1777626009000}]}""";
        assertThat(bridge.post("/webhooks/acme", answered, TOKEN).body()).isEqualTo("{\"status\":\"accepted\"}");
        assertThat(bridge.post("/webhooks/acme", hangup, TOKEN).body()).isEqualTo("{\"status\":\"accepted\"}");
        assertThat(bridge.post("/webhooks/acme", hangup.replace("1777626065", "\"2026-05-01T09:01:05Z\""), TOKEN).body())
                .isEqualTo("{\"status\":\"duplicate\"}");   // same delivery_id
        assertThat(bridge.post("/webhooks/acme", answered).statusCode()).isEqualTo(401);
        assertThat(bridge.post("/webhooks/acme", "{\"type\":\"call.hangup\",\"call\":{}}", TOKEN).body())
                .isEqualTo("{\"error\":\"missing required field: call.id\"}");

        await().atMost(Duration.ofSeconds(15)).until(() -> cekura.callsWithId("acme-ac-77").size() == 1);
        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"acme-ac-77","startedAt":"2026-05-01T09:00:05Z","endedAt":"2026-05-01T09:01:05Z",
                 "messages":[{"role":"bot","content":"Acme, how can I help?","start_time":1777626006000},
                             {"role":"user","content":"Just testing.","start_time":1777626009000}],
                 "to_phone_number":"+18005550199","from_phone_number":"+14155550100",
                 "metadata":{"provider":"acme","recording_url":"https://acme.example/rec/ac-77.mp3"},
                 "endedReason":"caller-hung-up"}]}""", cekura.callsWithId("acme-ac-77").get(0).body(), JSONCompareMode.STRICT);
    }

    @Test
    void verbexWithoutAnApiConfiguredIsDeliveredFromItsWebhooks() throws Exception {
        BridgeClient bridge = new BridgeClient(port);
        String call = "no-api-0001";
        for (String name : new String[] {"call_started", "call_ended", "pca_completed"}) {
            String body = BridgeTestSupport.resource("/verbex/" + name + ".json").replace("69ef5c43425e3c729ab8c83f", call);
            assertThat(bridge.post("/webhooks/verbex", body).body()).isEqualTo("{\"status\":\"accepted\"}");
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> cekura.callsWithId("verbex-" + call).size() == 1);
        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"verbex-no-api-0001",
                 "startedAt":"2026-04-27T12:53:25.241195387Z","endedAt":"2026-04-27T12:56:41.599271364Z","messages":[],
                 "metadata":{"provider":"verbex","organization_id":"27117463-c11e-4c75-affd-f743216f1bef",
                             "agent_id":"c51ab1b1-7eac-452d-8ba5-86a922d694e7","pca_status":"success","pca_reason":"success"},
                 "endedReason":"unknown"}]}""", cekura.callsWithId("verbex-" + call).get(0).body(), JSONCompareMode.STRICT);
    }

    /** The project's provider routes plus the example, in a folder of their own. */
    private static Path routesWithTheExample() {
        try {
            Path folder = Files.createTempDirectory("bridge-routes");
            try (DirectoryStream<Path> shipped = Files.newDirectoryStream(Path.of("routes"), "*.yaml")) {
                for (Path file : shipped) {
                    Files.copy(file, folder.resolve(file.getFileName()));
                }
            }
            Files.copy(Path.of("routes", "examples", "acme.camel.yaml"), folder.resolve("acme.camel.yaml"));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
