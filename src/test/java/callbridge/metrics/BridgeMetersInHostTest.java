package callbridge.metrics;

import static callbridge.support.SalpreEvents.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.StubHttpServer;
import callbridge.support.TestStores;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import example.host.HostApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The ops pack in a host application that sets none of the bridge's metrics properties (it only exposes
 * {@code /actuator/prometheus}, its own choice): the webhook latency buckets the ack alert and panel read are there,
 * for the bridge's paths only, and every metric a shipped rule or dashboard panel names is one the bridge publishes.
 */
@CamelSpringBootTest
@AutoConfigureObservability
@SpringBootTest(classes = HostApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=host",
        "management.endpoints.web.exposure.include=health,prometheus",
        // the dashboard has the outbound trigger's panels: a host serves the trigger only when switched on
        "bridge.trigger.enabled=true",
        "salpre.webhook-token=" + BridgeMetersInHostTest.TOKEN})
class BridgeMetersInHostTest extends BridgeHttpTest {
    static final String TOKEN = "salpre-t0ken";
    static final Map<String, String> SALPRE = Map.of("X-Webhook-Token", TOKEN);
    static final Path RULES = Path.of("config/prometheus/bridge-alerts.yml");
    static final Path DASHBOARD = Path.of("config/grafana/cekura-call-bridge.json");
    /** A metric name in a PromQL expression: the bridge's, Camel's, or Spring's HTTP server meter. */
    static final Pattern METRIC = Pattern.compile("\\b(?:bridge|camel|http_server)_[a-z0-9_]+");
    /** Meters registered on their first event (a purge run, a minute after start): they must at least be declared. */
    static final Set<String> ON_THEIR_FIRST_EVENT = Set.of("bridge_retention_purged_total", "bridge_retention_runs_total");

    static final StubHttpServer cekura = StubHttpServer.start();
    static final String HOST_DB = TestStores.sharedHostH2Url(Path.of("target", "test-db", "host-meters-" + UUID.randomUUID()));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> HOST_DB);
        registry.add("cekura.webhook-url", () -> cekura.url("/cekura/hook"));
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void webhookLatencyHasBucketsOnTheBridgesPathsOnly() {
        assertThat(bridge.post("/webhooks/salpre", fixture("call_initiated"), SALPRE).statusCode()).isEqualTo(200);
        assertThat(bridge.get("/host/greeting").statusCode()).isEqualTo(200);

        List<String> scrape = scrape();
        List<String> webhookBuckets = scrape.stream().filter(line -> line.startsWith("http_server_requests_seconds_bucket{")
                && line.contains("uri=\"/webhooks/salpre\"") && line.contains("status=\"200\"")).toList();
        assertThat(webhookBuckets).extracting(line -> line.replaceAll(".*le=\"([^\"]+)\".*", "$1")).containsExactly(
                "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf");
        assertThat(scrape).anyMatch(line -> line.startsWith("http_server_requests_seconds_count{") && line.contains("uri=\"/host/greeting\""));
        // the host's own: only the +Inf bucket (its count), which Prometheus's one type per name asks for
        assertThat(scrape).filteredOn(line -> line.startsWith("http_server_requests_seconds_bucket{") && !bridgesUri(line))
                .isNotEmpty().allMatch(line -> line.contains("le=\"+Inf\""));
    }

    @Test
    void everyMetricOfTheRulesAndTheDashboardIsPublished() throws IOException {
        for (String name : List.of("call_initiated", "call_ringing", "call_answered", "transcript", "call_ended")) {
            assertThat(bridge.post("/webhooks/salpre", fixture(name), SALPRE).statusCode()).isEqualTo(200);
        }
        assertThat(bridge.post("/webhooks/salpre", fixture("call_initiated"), Map.of("X-Webhook-Token", "rotated"))
                .statusCode()).isEqualTo(401);
        cekura.awaitOnlyCall("salpre-730001");
        await().atMost(Duration.ofSeconds(20)).until(() -> published(scrape()).contains("bridge_deliveries_total"));

        Set<String> used = used();
        Set<String> published = published(scrape());
        Set<String> declared = declaredInSources();
        Set<String> notPublished = new TreeSet<>(used);
        notPublished.removeAll(published);
        assertThat(notPublished).as("used by a rule or panel, not published by the bridge after a call")
                .containsExactlyInAnyOrderElementsOf(ON_THEIR_FIRST_EVENT);
        assertThat(notPublished).allMatch(name -> declared.contains(base(name)), "declared in the bridge's sources");
        // the check sees a typo
        assertThat(published).doesNotContain("bridge_dead_letter_waiting");
        assertThat(declared).doesNotContain(base("bridge_dead_letter_waiting"));
        assertThat(used).contains("bridge_calls_open", "bridge_store_writes_up", "bridge_webhooks_refused_total",
                "http_server_requests_seconds_bucket", "camel_exchanges_total");
    }

    private static boolean bridgesUri(String line) {
        return Stream.of("/webhooks/", "/cekura/", "/admin").anyMatch(base -> line.contains("uri=\"" + base));
    }

    private List<String> scrape() {
        var answer = bridge.get("/actuator/prometheus");
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body().lines().toList();
    }

    /** Metric names with at least one series in the scrape. */
    private static Set<String> published(List<String> scrape) {
        Set<String> names = new TreeSet<>();
        scrape.stream().filter(line -> !line.startsWith("#") && !line.isBlank())
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    /** Every metric name in an alert rule's or a dashboard panel's expression; each expression names one at least. */
    private static Set<String> used() throws IOException {
        List<String> expressions = new ArrayList<>();
        Map<String, Object> rules = PrometheusRulesTest.yaml(RULES);
        for (Map<String, Object> group : list(rules.get("groups"))) {
            list(group.get("rules")).forEach(rule -> expressions.add((String) rule.get("expr")));
        }
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        dashboard.findValues("targets").forEach(targets -> targets.forEach(target -> expressions.add(target.path("expr").asText())));
        assertThat(expressions).hasSizeGreaterThan(20);
        Set<String> names = new TreeSet<>();
        for (String expression : expressions) {
            Matcher metric = METRIC.matcher(expression);
            assertThat(metric.find()).as("a metric in " + expression).isTrue();
            do {
                names.add(metric.group());
            } while (metric.find());
        }
        return names;
    }

    /** The Prometheus names of the meters the bridge's sources register ({@code "bridge.calls.open"}: bridge_calls_open). */
    private static Set<String> declaredInSources() throws IOException {
        Set<String> names = new TreeSet<>();
        Pattern meterName = Pattern.compile("\"(bridge(?:\\.[a-z0-9]+)+)\"");
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher found = meterName.matcher(Files.readString(file));
                while (found.find()) {
                    names.add(found.group(1).replace('.', '_'));
                }
            }
        }
        return names;
    }

    /** A Prometheus series name without its type's suffix and its unit: bridge_retention_runs_total → bridge_retention_runs. */
    private static String base(String name) {
        return name.replaceFirst("_(total|bucket|count|sum|max)$", "").replaceFirst("_(seconds|bytes)$", "");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }
}
