import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stub Cekura for the benchmarks (run as a single-file program: {@code java bench/StubCekura.java PORT}).
 * Every POST is answered 200 {@code {}}; the ids of the calls in a Cekura body are counted.
 * {@code GET /stats} answers {@code {"posts": calls received, "calls": distinct ids, "duplicates": ids seen twice or more}}.
 *
 * <p>In Java rather than Python so that the stub's own CPU, which shares the machine with the bridge
 * under test, stays small: the real Cekura runs elsewhere.
 */
public class StubCekura {
    private static final ConcurrentHashMap<String, Integer> SEEN = new ConcurrentHashMap<>();
    private static final AtomicLong POSTS = new AtomicLong();
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 256);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", StubCekura::handle);
        server.start();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] answer = EMPTY_OBJECT;
            if ("POST".equals(exchange.getRequestMethod())) {
                countCalls(new String(body, StandardCharsets.UTF_8));
            } else if (exchange.getRequestURI().getPath().endsWith("/stats")) {
                long duplicates = SEEN.values().stream().filter(n -> n > 1).count();
                answer = ("{\"posts\": " + POSTS.get() + ", \"calls\": " + SEEN.size()
                        + ", \"duplicates\": " + duplicates + "}").getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    /** The "id" member of each object in the top-level "calls" array; other bodies (a dial request) count nothing. */
    private static void countCalls(String json) {
        int calls = json.indexOf("\"calls\"");
        if (calls < 0) {
            return;
        }
        int i = json.indexOf('[', calls) + 1;
        int depth = 0;
        for (; i > 0 && i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                int end = endOfString(json, i);
                // a key of a call object (depth 1) named id: its value is the call's id
                if (depth == 1 && json.startsWith("\"id\"", i)) {
                    int valueStart = json.indexOf('"', json.indexOf(':', end) + 1);
                    int valueEnd = endOfString(json, valueStart);
                    SEEN.merge(json.substring(valueStart + 1, valueEnd), 1, Integer::sum);
                    POSTS.incrementAndGet();
                    i = valueEnd;
                } else {
                    i = end;
                }
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return; // the end of the calls array
                }
                depth--;
            }
        }
    }

    private static int endOfString(String json, int openingQuote) {
        int i = openingQuote + 1;
        while (json.charAt(i) != '"') {
            i += json.charAt(i) == '\\' ? 2 : 1;
        }
        return i;
    }
}
