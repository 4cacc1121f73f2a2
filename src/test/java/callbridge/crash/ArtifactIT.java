package callbridge.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as a user runs it: from a folder that is not the project's, with nothing set. The bundled providers
 * are served from inside the jar; {@code BRIDGE_ROUTES_DIR} adds a provider and replaces a bundled one; a start that
 * fails (a bad route file) ends the process with a non-zero exit code.
 */
class ArtifactIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SALPRE_CALL = List.of("call_initiated", "call_ringing", "call_answered", "transcript", "call_ended");
    static final Path PROJECT = Path.of("").toAbsolutePath();

    @TempDir
    Path folder;
    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void aStartThatFailsEndsTheProcessWithANonZeroExitCode() throws Exception {
        Path routes = Files.createDirectory(folder.resolve("routes"));
        Files.writeString(routes.resolve("broken.camel.yaml"), "- route:\n    id: ingest-broken\n    from:\n      uri: platform-http:/webhooks/broken\n      steps:\n        - tooo: direct:bridge-webhook-accept\n");
        Path log = log("bad-route-file");
        long started = System.nanoTime();
        process = start(Map.of("BRIDGE_ROUTES_DIR", routes.toString()), log);
        // the start fails in seconds (about 10 s here); then the JVM must end, not wait forever
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        String output = Files.readString(log);
        assertThat(output).contains("APPLICATION FAILED TO START").contains("broken.camel.yaml is invalid at line 6");
        assertThat(ended).as("process ended after a failed start; log:\n" + output).isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void fromAnEmptyFolderWithNothingSetTheReadmesSalpreCallHasTheReadmesDryRunPayload() throws Exception {
        int port = freePort();
        Path log = log("empty-folder");
        process = start(Map.of("SERVER_PORT", String.valueOf(port)), log);
        awaitReady(port);
        JsonNode payload = postSalpreCall(port);
        assertThat(payload).isEqualTo(JSON.readTree(readmeDryRunPayload()));
        assertThat(Files.readString(log)).contains("Provider salpre: bundled route file classpath:callbridge/routes/salpre.camel.yaml");
    }

    @Test
    void anExtraRoutesFolderAddsAProviderAndReplacesABundledOne() throws Exception {
        Path routes = Files.createDirectory(folder.resolve("extra-routes"));
        Files.copy(PROJECT.resolve("routes/examples/acme.camel.yaml"), routes.resolve("acme.camel.yaml"));
        // the same provider name as a bundled file: replaces it (here its metadata key "source" becomes "origin")
        String salpre = Files.readString(PROJECT.resolve("routes/salpre.camel.yaml"));
        String replaced = salpre.replace("          source: $.payload.call.source ?? $.payload.source", "          origin: $.payload.call.source ?? $.payload.source");
        assertThat(replaced).isNotEqualTo(salpre);
        Files.writeString(routes.resolve("salpre.camel.yaml"), replaced);
        int port = freePort();
        Path log = log("extra-routes");
        process = start(Map.of("SERVER_PORT", String.valueOf(port), "BRIDGE_ROUTES_DIR", routes.toString()), log);
        awaitReady(port);

        String acme = "{\"delivery_id\":\"d-1\",\"type\":\"call.answered\",\"at\":\"2025-10-10T08:22:56Z\","
                + "\"call\":{\"id\":\"acme-1\",\"caller\":\"+15550001\",\"callee\":\"+15550002\"}}";
        HttpResponse<String> answered = post(port, "/webhooks/acme", acme);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(answered.body()).isEqualTo("{\"status\":\"accepted\"}");

        JsonNode metadata = postSalpreCall(port).path("calls").get(0).path("metadata");
        assertThat(metadata.has("source")).as(metadata.toString()).isFalse();
        assertThat(metadata.path("origin").asText()).isEqualTo("salprebox:SALPRE_AABBCCDD");
        assertThat(Files.readString(log))
                .contains("Provider acme: BRIDGE_ROUTES_DIR route file " + routes.resolve("acme.camel.yaml"))
                .contains("Provider salpre: BRIDGE_ROUTES_DIR route file " + routes.resolve("salpre.camel.yaml") + " (replaces the bundled one)")
                .contains("Provider vapi: bundled route file classpath:callbridge/routes/vapi.camel.yaml");
    }

    @Test
    void aNormalStopUnderLoadKeepsEveryEventItAnswered2xx() throws Exception {
        int port = freePort();
        Path log = log("normal-stop");
        process = start(Map.of("SERVER_PORT", String.valueOf(port)), log);
        awaitReady(port);
        String template = Files.readString(PROJECT.resolve("src/test/resources/salpre/transcript.json"));
        List<String> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            senders.submit(() -> {
                while (true) {
                    int i = next.incrementAndGet();
                    String body = template.replace("\"id\":730001", "\"id\":" + (740000 + i % 50))
                            .replace("Hello, how are you?", "line " + i);
                    try {
                        HttpResponse<String> answer = post(port, "/webhooks/salpre", body);
                        if (answer.statusCode() == 200) {
                            assertThat(answer.body()).isEqualTo("{\"status\":\"accepted\"}");
                            accepted.add(body);
                        }
                    } catch (IOException stopped) {
                        return null;            // the server has closed: this sender is done
                    }
                }
            });
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 50);
        process.destroy();                                                   // SIGTERM, as systemd or Kubernetes stop it
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
        senders.shutdown();
        assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        List<String> answered = List.copyOf(accepted);

        process = start(Map.of("SERVER_PORT", String.valueOf(port)), log);   // the same folder: the same H2 file
        awaitReady(port);
        for (String body : answered) {
            HttpResponse<String> again = post(port, "/webhooks/salpre", body);
            assertThat(again.body()).as("an event answered 2xx before the stop is stored").isEqualTo("{\"status\":\"duplicate\"}");
        }
    }

    /** The process's output, under the project's target/ (the folder it runs in holds only what the bridge writes). */
    private static Path log(String name) throws IOException {
        Path log = PROJECT.resolve("target/artifact-it-" + name + ".log");
        Files.deleteIfExists(log);
        return log;
    }

    /** The README's "Try it": the five events, the grace, then the admin view's payload. */
    private static JsonNode postSalpreCall(int port) throws Exception {
        for (String event : SALPRE_CALL) {
            HttpResponse<String> answer = post(port, "/webhooks/salpre",
                    Files.readString(PROJECT.resolve("src/test/resources/salpre/" + event + ".json")));
            assertThat(answer.statusCode()).as(event + ": " + answer.body()).isEqualTo(200);
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest view = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/calls/salpre/730001")).build();
        JsonNode[] call = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> answer = http.send(view, HttpResponse.BodyHandlers.ofString());
            call[0] = answer.statusCode() == 200 ? JSON.readTree(answer.body()) : null;
            return call[0] != null && "dry-run".equals(call[0].path("state").asText());
        });
        JsonNode payload = call[0].path("payload");
        return payload.isTextual() ? JSON.readTree(payload.asText()) : payload;
    }

    static String readmeDryRunPayload() throws IOException {
        String readme = Files.readString(PROJECT.resolve("README.md"));
        String marker = "under `payload` the exact body:\n\n```json\n";
        int start = readme.indexOf(marker);
        assertThat(start).as("README's dry-run payload").isNotNegative();
        start += marker.length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    private static HttpResponse<String> post(int port, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The packaged jar, started in {@link #folder} with only the given environment of the bridge's. */
    private Process start(Map<String, String> environment, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(LaunchableJar.java(), "-Xmx384m"));
        for (String argument : LaunchableJar.arguments()) {
            // the launch files are under the project's target/: absolute, since the process runs elsewhere
            boolean file = argument.startsWith("target") || argument.startsWith("-XX:SharedArchiveFile=target");
            command.add(!file ? argument : argument.startsWith("-XX:")
                    ? "-XX:SharedArchiveFile=" + PROJECT.resolve(argument.substring("-XX:SharedArchiveFile=".length()))
                    : PROJECT.resolve(argument).toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // nothing of the bridge's own from the environment this test runs in
        builder.environment().keySet().removeIf(name -> name.startsWith("BRIDGE_") || name.startsWith("CEKURA_")
                || name.startsWith("SPRING_") || name.startsWith("OUTBOUND_") || name.startsWith("SERVER_") || name.endsWith("_WEBHOOK_TOKEN")
                || name.endsWith("_WEBHOOK_SECRET"));
        builder.environment().putAll(environment);
        if (!environment.containsKey("SERVER_PORT")) {
            builder.environment().put("SERVER_PORT", "0");
        }
        return builder.start();
    }

    private void awaitReady(int port) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest readiness = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("bridge exited with " + process.exitValue());
            }
            try {
                return http.send(readiness, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
