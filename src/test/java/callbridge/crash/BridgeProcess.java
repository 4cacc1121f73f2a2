package callbridge.crash;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged bridge as a real OS process ({@link LaunchableJar}): started with an environment, killed with SIGKILL. */
final class BridgeProcess {
    private final Map<String, String> environment;
    private final Path log;
    private final int port;
    private final String maxHeap;
    private Process process;

    BridgeProcess(Map<String, String> environment, Path log) {
        this(environment, log, "512m");
    }

    /** With a heap of its own size, e.g. {@code 160m}: what the bridge can do in bounded memory. */
    BridgeProcess(Map<String, String> environment, Path log, String maxHeap) {
        this.environment = environment;
        this.log = log;
        this.maxHeap = maxHeap;
        this.port = freePort();
    }

    int port() {
        return port;
    }

    void start() throws Exception {
        List<String> command = new ArrayList<>(List.of(LaunchableJar.java(), "-Xmx" + maxHeap));
        command.addAll(LaunchableJar.arguments());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(new File("."))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        process = builder.start();
        awaitHealthy(Duration.ofSeconds(60));
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    private void awaitHealthy(Duration limit) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build();
        org.awaitility.Awaitility.await().atMost(limit).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("bridge exited with " + process.exitValue() + "; see " + log);
            }
            try {
                return http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
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
