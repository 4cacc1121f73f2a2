package callbridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The shipped alert rules, checked and unit-tested by Prometheus's own {@code promtool} (Debian's {@code prometheus}
 * package; {@code .ci/run} installs it): {@code check rules}, then {@code test rules} over
 * config/prometheus/bridge-alerts.test.yml, which must make every shipped alert fire, under two scrape job names.
 * Under CI a missing promtool fails; elsewhere the test is skipped, saying how to install it.
 */
class PrometheusRulesTest {
    static final Path RULES = Path.of("config/prometheus/bridge-alerts.yml");
    static final Path RULE_TESTS = Path.of("config/prometheus/bridge-alerts.test.yml");
    static final Set<String> JOB_NAMES = Set.of("bridge", "k8s-pods");

    static Path promtool;

    @BeforeAll
    static void findPromtool() {
        promtool = Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .map(folder -> Path.of(folder, "promtool")).filter(Files::isExecutable).findFirst().orElse(null);
        String ci = System.getenv("CI");
        if (promtool == null && ci != null && !ci.equalsIgnoreCase("false")) {
            Assertions.fail("CI has no promtool on the PATH: .ci/run installs Debian's prometheus package for it");
        }
        Assumptions.assumeTrue(promtool != null, "No promtool on the PATH: the alert rules' unit tests are skipped. "
                + "Install it with: apt-get install -y prometheus (Debian's package carries /usr/bin/promtool)");
    }

    @Test
    void theRulesAreValid() throws Exception {
        Run check = promtool("check", "rules", RULES.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + alerts().size() + " rules found");
    }

    @Test
    void everyRuleTestPasses() throws Exception {
        Run test = promtool("test", "rules", RULE_TESTS.toString());
        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    /** So that an alert added to the rules without a case of its own fails here, not in production. */
    @Test
    void everyShippedAlertIsExpectedToFireUnderEachJobName() throws IOException {
        Map<String, Set<String>> firedByJob = new java.util.TreeMap<>();
        for (Map<String, Object> test : list(yaml(RULE_TESTS).get("tests"))) {
            String job = jobOf(test);
            for (Map<String, Object> evaluation : list(test.get("alert_rule_test"))) {
                if (!list(evaluation.get("exp_alerts")).isEmpty()) {
                    firedByJob.computeIfAbsent(job, j -> new TreeSet<>()).add((String) evaluation.get("alertname"));
                }
            }
        }
        List<String> alerts = alerts();
        assertThat(firedByJob.keySet()).containsExactlyInAnyOrderElementsOf(JOB_NAMES);
        firedByJob.values().forEach(fired -> assertThat(fired).containsExactlyInAnyOrderElementsOf(alerts));
        assertThat(alerts()).contains("BridgeWebhooksRefusedOnly", "BridgeStoreDown", "BridgeWebhookAckP99High");
    }

    /** No rule names a scrape job or the {@code up} series a job's name decides. */
    @Test
    void noRuleDependsOnTheScrapeJob() throws IOException {
        for (Map<String, Object> group : list(yaml(RULES).get("groups"))) {
            for (Map<String, Object> rule : list(group.get("rules"))) {
                assertThat((String) rule.get("expr")).as((String) rule.get("alert"))
                        .doesNotContain("job").doesNotContainPattern("\\bup\\b").doesNotContain("instance");
            }
        }
    }

    static List<String> alerts() throws IOException {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> group : list(yaml(RULES).get("groups"))) {
            list(group.get("rules")).forEach(rule -> names.add((String) rule.get("alert")));
        }
        return names;
    }

    /** The one job name a test's input series are scraped under. */
    private static String jobOf(Map<String, Object> test) {
        TreeSet<String> jobs = new TreeSet<>();
        for (Map<String, Object> series : list(test.get("input_series"))) {
            var job = java.util.regex.Pattern.compile("job=\"([^\"]+)\"").matcher((String) series.get("series"));
            assertThat(job.find()).as("a job label in " + series.get("series")).isTrue();
            jobs.add(job.group(1));
        }
        assertThat(jobs).as(String.valueOf(test.get("name"))).hasSize(1);
        return jobs.first();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    static Map<String, Object> yaml(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new Yaml().load(in);
        }
    }

    record Run(int exitCode, String output) {
    }

    private static Run promtool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(promtool.toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool ended").isTrue();
        return new Run(process.exitValue(), output);
    }
}
