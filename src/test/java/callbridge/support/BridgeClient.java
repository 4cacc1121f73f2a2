package callbridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Real HTTP against the running bridge: on loopback, or on another of this machine's own addresses. */
public final class BridgeClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String host;
    private final int port;

    public BridgeClient(int port) {
        this("127.0.0.1", port);
    }

    /** {@code host} is an IP literal (IPv6 in brackets); the request comes from that address too. */
    public BridgeClient(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** The bridge an application context serves (started with {@code --server.port=0}). */
    public static BridgeClient of(org.springframework.context.ConfigurableApplicationContext context) {
        return new BridgeClient(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    public HttpResponse<String> post(String path, String body) {
        return post(path, body, Map.of());
    }

    public HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    public HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        headers.forEach(request::header);
        return send(request.build());
    }

    public HttpResponse<String> get(String path) {
        return get(path, Map.of());
    }

    public HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        headers.forEach(request::header);
        return send(request.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://" + host + ":" + port + path);
    }
}
