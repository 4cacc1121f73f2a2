package callbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.ingest.HostileBodiesTest.SlowSender;
import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * BRIDGE_BODY_READ_TIMEOUT: a body not whole within it (from its headers) is 408 and its connection closed. Apart from
 * {@link HostileBodiesTest}, whose slow senders must stay unanswered for as long as a loaded machine takes.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "bridge.ingest.body-read-timeout=4s")
class BodyReadDeadlineTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final ScheduledExecutorService dripping = Executors.newSingleThreadScheduledExecutor();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "body-read-deadline", cekura);
    }

    @AfterAll
    static void stop() {
        dripping.shutdownNow();
        cekura.close();
    }

    @Test
    void aBodyNotWholeWithinTheDeadlineIs408() throws Exception {
        long started = System.nanoTime();   // before the headers go: the deadline cannot start earlier
        SlowSender slow = SlowSender.open(port, "POST /webhooks/bland", 1000, Map.of());
        try {
            slow.drip(dripping);

            await().atMost(Duration.ofSeconds(60)).until(slow::answered);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
            assertThat(slow.answer()).startsWith("HTTP/1.1 408 ").contains("Connection: close")
                    .endsWith("{\"error\":\"request body not received within 4000 ms\"}");
        } finally {
            slow.close();
        }
    }
}
