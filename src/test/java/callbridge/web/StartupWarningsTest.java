package callbridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.delivery.CekuraProperties;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

/** The start-up warnings: each says what to set, and README's table explains it; the pool warning in full. */
@ExtendWith(OutputCaptureExtension.class)
class StartupWarningsTest {
    private static final String POOL_WARNING = "SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE is";

    @Test
    void aPoolBelowTheMinimumIsNamedWithItsSize(CapturedOutput output) {
        warnWith(new MockEnvironment().withProperty("spring.datasource.hikari.maximum-pool-size", "4"));

        assertThat(output.getOut()).contains(POOL_WARNING + " 4, below 10: completion, the journal and the flush "
                + "share the pool with the webhooks, which may wait past the connection timeout under load (503). Set it to 10 or more");
    }

    @Test
    void theDefaultPoolAndLargerOnesAreNotWarnedAbout(CapturedOutput output) {
        warnWith(new MockEnvironment().withProperty("spring.datasource.hikari.maximum-pool-size", "10"));
        warnWith(new MockEnvironment().withProperty("spring.datasource.hikari.maximum-pool-size", "32"));
        warnWith(new MockEnvironment()); // unset: Hikari's own default (10)

        assertThat(output.getOut()).doesNotContain(POOL_WARNING)
                .contains("BRIDGE_ADMIN_TOKEN is not set"); // the warnings did run
    }

    @Test
    void everyWarningSaysWhatToSetAndIsExplainedInTheReadme(CapturedOutput output) throws Exception {
        MockEnvironment nothingSet = new MockEnvironment().withProperty("spring.datasource.hikari.maximum-pool-size", "4")
                .withProperty("bridge.trigger.enabled", "true");   // as standalone
        warnWith(nothingSet, null, null);                                    // dry run
        warnWith(nothingSet, URI.create("http://127.0.0.1:1/cekura"), null);   // sending, no agent id

        List<String> rows = Files.readAllLines(Path.of("README.md")).stream()
                .dropWhile(line -> !line.equals("### What the start-up warnings mean")).skip(1)
                .takeWhile(line -> !line.startsWith("### ")).filter(line -> line.startsWith("| `")).toList();
        List<String> warnings = output.getOut().lines().filter(line -> line.contains(" WARN "))
                .map(line -> line.replaceFirst("^.*StartupWarnings\\s*(--|:)\\s*", "")).toList();
        assertThat(warnings).hasSize(10);   // admin, trigger, outbound, pool; then dry run, then agent id
        for (String warning : warnings) {
            assertThat(warning).as("says what to set").containsPattern("\\. Set ");
            assertThat(rows).as("README row for: " + warning).anySatisfy(row -> {
                String start = row.substring(3, row.indexOf('`', 3)).split("…")[0].strip();   // … stands for a value
                assertThat(warning).startsWith(start);
            });
        }
    }

    @Test
    void blandDialingWithoutItsWebhookUrlIsWarnedAboutAndExplainedInTheReadme(CapturedOutput output) throws Exception {
        warnWith(new MockEnvironment().withProperty("bridge.trigger.enabled", "true").withProperty("outbound.provider", "bland"));
        warnWith(new MockEnvironment().withProperty("bridge.trigger.enabled", "true").withProperty("outbound.provider", "bland")
                .withProperty("bland.webhook-url", "https://bridge.example.com/webhooks/bland"));
        warnWith(new MockEnvironment().withProperty("bridge.trigger.enabled", "true").withProperty("outbound.provider", "vapi"));

        assertThat(output.getOut().lines().filter(line -> line.contains("BLAND_WEBHOOK_URL is not set"))).singleElement()
                .asString().contains("Set it to the bridge's public https://<bridge>/webhooks/bland");
        assertThat(Files.readAllLines(Path.of("README.md"))).anyMatch(row -> row.startsWith("| `BLAND_WEBHOOK_URL is not set`"));
    }

    private static void warnWith(MockEnvironment environment) {
        warnWith(environment, URI.create("http://127.0.0.1:1/cekura"), 1);
    }

    private static void warnWith(MockEnvironment environment, URI cekuraUrl, Integer agentId) {
        var cekura = new CekuraProperties(cekuraUrl, null, agentId, Duration.ofMinutes(5),
                Duration.ofSeconds(1), 8, Duration.ofSeconds(5), Duration.ofSeconds(20), 2, 64, 10, "epoch-ms");
        new StartupWarnings(new DefaultCamelContext(), environment, cekura).warn();
    }
}
