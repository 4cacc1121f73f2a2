package callbridge.ingest;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static callbridge.support.SalpreEvents.transcript;
import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Providers re-send exactly when we are slow: six copies of each event of a call, sent at the same moment, are
 * each answered 200, exactly one of them "accepted", and the call reaches Cekura once with each line once.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConcurrentCopiesTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final int COPIES = 6;
    static final long CALL = 780_001;

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "concurrent-copies", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void sixConcurrentCopiesOfEachEventMakeOneCallDeliveredOnce() throws Exception {
        List<String> events = List.of(
                lifecycle("call_initiated", CALL, 1760084570),
                lifecycle("call_answered", CALL, 1760084576),
                transcript(CALL, 1760084580, "customer", "hello", null),
                transcript(CALL, 1760084582, "ai", "hi there", null),
                ended(CALL, 1760084597, List.of()));
        ExecutorService senders = Executors.newFixedThreadPool(COPIES);
        try {
            for (String event : events) {
                CountDownLatch together = new CountDownLatch(1);
                List<CompletableFuture<HttpResponse<String>>> copies = new ArrayList<>();
                for (int i = 0; i < COPIES; i++) {
                    copies.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            together.await();
                        } catch (InterruptedException interrupted) {
                            Thread.currentThread().interrupt();
                        }
                        return bridge.post("/webhooks/salpre", event);
                    }, senders));
                }
                together.countDown();
                List<String> answers = new ArrayList<>();
                for (var copy : copies) {
                    HttpResponse<String> answer = copy.get();
                    assertThat(answer.statusCode()).isEqualTo(200);
                    answers.add(answer.body());
                }
                assertThat(answers).filteredOn("{\"status\":\"accepted\"}"::equals).hasSize(1);
                assertThat(answers).filteredOn("{\"status\":\"duplicate\"}"::equals).hasSize(COPIES - 1);
            }
        } finally {
            senders.shutdownNow();
        }

        JsonNode call = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("salpre-" + CALL).body()).path("calls").get(0);
        assertThat(call.path("messages").findValuesAsText("content")).containsExactly("hello", "hi there");
    }
}
