package callbridge.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Wiring shared by the end-to-end tests: a fresh H2 file, a stub Cekura, short timings. */
public final class BridgeTestSupport {
    public static final String API_KEY = "test-cekura-key";
    public static final ObjectMapper JSON = new ObjectMapper();

    private BridgeTestSupport() {
    }

    public static void wire(DynamicPropertyRegistry registry, String storeName, StubHttpServer cekura) {
        String url = TestStores.fresh(storeName);
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", TestStores::username);
        registry.add("spring.datasource.password", () -> "");
        registry.add("cekura.webhook-url", () -> cekura.url("/cekura/hook"));
        registry.add("cekura.api-key", () -> API_KEY);
        registry.add("cekura.agent-id", () -> "42");
        registry.add("bridge.call-grace", () -> "300ms");
        registry.add("bridge.calls.poll-interval", () -> "50");
        registry.add("bridge.delivery.poll-interval", () -> "100");
    }

    public static String resource(String path) {
        try (var in = BridgeTestSupport.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
