package callbridge.providers;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The fixture kit: every folder under {@code src/test/resources/fixtures/} is one case, run against one bridge (one
 * Spring context for all folders), over real HTTP on loopback, with a stub Cekura.
 *
 * <p>A folder {@code <provider>} (or {@code <provider>.<case>} for more cases of one provider) holds:
 * <ul>
 * <li>{@code NN-<event>.json}: the provider's events, posted in file-name order to {@code POST /webhooks/<provider>};
 *   each must be answered 200;</li>
 * <li>{@code NN-<event>.headers} (optional): headers sent with the event of the same name, one {@code Name: value} a line,
 *   {@code #} starts a comment;</li>
 * <li>{@code api/<path>.json} (optional): a stub of the provider's API answers {@code GET {<PROVIDER>_API_URL}/<path>}
 *   with it (the test points {@code <provider>.api-url} at the stub: Verbex);</li>
 * <li>{@code expected-cekura.json}: the exact body Cekura receives for the call (with {@code CEKURA_AGENT_ID=42}).</li>
 * </ul>
 * A signed provider's credential is made here from a test secret ({@link #SIGNERS}), at the time of sending; a provider
 * without an entry there is posted as it is (its endpoint is open: no secret set).
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "generic.webhook-secret=" + FixtureKitTest.GENERIC_SECRET,
        "vapi.webhook-secret=" + FixtureKitTest.VAPI_SECRET,
        "retell.api-key=" + FixtureKitTest.RETELL_KEY,
        "elevenlabs.webhook-secret=" + FixtureKitTest.ELEVENLABS_SECRET,
        "bland.webhook-secret=" + FixtureKitTest.BLAND_SECRET,
        "salpre.webhook-token=" + FixtureKitTest.TOKEN,
        "verbex.webhook-token=" + FixtureKitTest.TOKEN,
        "verbex.api-key=kit-verbex-key"})
class FixtureKitTest extends BridgeHttpTest {
    static final String GENERIC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String VAPI_SECRET = "kit-vapi-secret";
    static final String RETELL_KEY = "key_kit_retell";
    static final String ELEVENLABS_SECRET = "wsec_kit_elevenlabs";
    static final String BLAND_SECRET = "kit-bland-secret";
    static final String TOKEN = "kit-webhook-token";
    static final Path FIXTURES = fixturesFolder();

    /** How each signed provider's request is made genuine: (case/file name, raw body) → headers. */
    static final Map<String, BiFunction<String, byte[], Map<String, String>>> SIGNERS = Map.of(
            "generic", FixtureKitTest::standardWebhooks,
            "vapi", (name, body) -> Map.of("X-Vapi-Secret", VAPI_SECRET),
            "retell", (name, body) -> {
                String ms = String.valueOf(Instant.now().toEpochMilli());
                return Map.of("x-retell-signature", "v=" + ms + ",d=" + hmacHex(RETELL_KEY, body, utf8(ms)));
            },
            "elevenlabs", (name, body) -> {
                String t = String.valueOf(Instant.now().getEpochSecond());
                return Map.of("ElevenLabs-Signature", "t=" + t + ",v0=" + hmacHex(ELEVENLABS_SECRET, utf8(t + "."), body));
            },
            "bland", (name, body) -> Map.of("X-Webhook-Signature", hmacHex(BLAND_SECRET, body)),
            "salpre", (name, body) -> Map.of("X-Webhook-Token", TOKEN),
            "verbex", (name, body) -> Map.of("X-Webhook-Token", TOKEN));

    static final StubHttpServer cekura = StubHttpServer.start();
    static final StubHttpServer providerApis = StubHttpServer.start().answerByDefault(Answer.of(404, "{\"error\":\"not found\"}"));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "fixture-kit", cekura);
        registry.add("verbex.api-url", () -> providerApis.url("/verbex-api"));
    }

    @AfterAll
    static void stop() {
        cekura.close();
        providerApis.close();
    }

    static Stream<String> cases() throws IOException {
        try (Stream<Path> folders = Files.list(FIXTURES)) {
            return folders.filter(Files::isDirectory).map(folder -> folder.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theEventsInOrderAreTheExactCekuraCall(String name) throws Exception {
        Path folder = FIXTURES.resolve(name);
        String provider = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        String expected = Files.readString(folder.resolve("expected-cekura.json"));
        String cekuraId = BridgeTestSupport.JSON.readTree(expected).path("calls").path(0).path("id").asText();
        assertThat(cekuraId).as("expected-cekura.json names its call: calls[0].id").isNotEmpty();
        stubApi(provider, folder.resolve("api"));

        List<Path> events;
        try (Stream<Path> files = Files.list(folder)) {
            events = files.filter(f -> f.getFileName().toString().matches("\\d+-.+\\.json")).sorted().toList();
        }
        assertThat(events).as("events NN-<event>.json in " + folder).isNotEmpty();
        for (Path event : events) {
            byte[] body = Files.readAllBytes(event);
            String file = event.getFileName().toString();
            Map<String, String> headers = new LinkedHashMap<>(headers(folder.resolve(file.replaceFirst("\\.json$", ".headers"))));
            headers.putAll(SIGNERS.getOrDefault(provider, (n, b) -> Map.of()).apply(name + "/" + file, body));
            HttpResponse<String> answer = bridge.post("/webhooks/" + provider, body, headers);
            assertThat(answer.statusCode()).as(name + "/" + file + " answered " + answer.body()).isEqualTo(200);
        }

        JSONAssert.assertEquals(name + "/expected-cekura.json", expected, cekura.awaitOnlyCall(cekuraId).body(), JSONCompareMode.STRICT);
    }

    /** Files under {@code api/} answer GET {@code /<provider>-api/<path>} (the stub's URL is {@code <provider>.api-url}). */
    private static void stubApi(String provider, Path api) throws IOException {
        if (!Files.isDirectory(api)) {
            return;
        }
        try (Stream<Path> files = Files.walk(api)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                String path = api.relativize(file).toString().replace('\\', '/').replaceFirst("\\.json$", "");
                String answer = Files.readString(file);
                providerApis.scriptPath("/" + provider + "-api/" + path, Answer.of(200, answer));
            }
        }
    }

    private static Map<String, String> headers(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            int colon = text.indexOf(':');
            assertThat(colon).as(file + ": 'Name: value' expected, not '" + text + "'").isPositive();
            headers.put(text.substring(0, colon).strip(), text.substring(colon + 1).strip());
        }
        return headers;
    }

    /** Standard Webhooks: webhook-id (the case and file: its dedupe key), webhook-timestamp, v1 signature. */
    private static Map<String, String> standardWebhooks(String id, byte[] body) {
        long timestamp = Instant.now().getEpochSecond();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(GENERIC_SECRET.substring("whsec_".length())), "HmacSHA256"));
            mac.update(utf8(id + "." + timestamp + "."));
            String signature = Base64.getEncoder().encodeToString(mac.doFinal(body));
            return Map.of("webhook-id", id, "webhook-timestamp", String.valueOf(timestamp), "webhook-signature", "v1," + signature);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmacHex(String key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(utf8(key), "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Path fixturesFolder() {
        try {
            return Path.of(FixtureKitTest.class.getResource("/fixtures").toURI());
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
