package callbridge.store;

import static callbridge.support.SalpreEvents.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callbridge.CallBridgeApplication;
import callbridge.support.BridgeClient;
import callbridge.support.StubHttpServer;
import callbridge.web.RouteFileFailureAnalyzer;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * H2 URLs as users write them, end to end: with {@code AUTO_SERVER=TRUE} (the plain file URL is what every other
 * test runs on), and a URL the bridge cannot work with stops the start with one line.
 */
@ExtendWith(OutputCaptureExtension.class)
class H2UrlTest {
    static final StubHttpServer cekura = StubHttpServer.start();

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void anAutoServerUrlWorksEndToEnd() {
        Path file = Path.of("target", "test-db", "auto-server-" + UUID.randomUUID()).toAbsolutePath();
        try (var bridge = new SpringApplicationBuilder(CallBridgeApplication.class).run(
                "--server.port=0", "--spring.datasource.url=jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE",
                "--cekura.webhook-url=" + cekura.url("/cekura/hook"), "--cekura.agent-id=42",
                "--bridge.call-grace=300ms", "--bridge.calls.poll-interval=50")) {
            BridgeClient client = BridgeClient.of(bridge);
            for (String name : List.of("call_initiated", "call_ringing", "call_answered", "transcript", "call_ended")) {
                assertThat(client.post("/webhooks/salpre", fixture(name)).statusCode()).isEqualTo(200);
            }
            assertThat(cekura.awaitOnlyCall("salpre-730001").body()).contains("\"agent_id\":42");
        }
    }

    @Test
    void aUrlThatContradictsTheBridgesSqlStopsTheStartWithOneLine(CapturedOutput output) {
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> new SpringApplicationBuilder(CallBridgeApplication.class).run(
                "--server.port=0", "--spring.datasource.url=jdbc:h2:mem:contradicting;MODE=MySQL"))
                .satisfies(failure -> thrown[0] = failure);
        assertThat(new RouteFileFailureAnalyzer().analyze(thrown[0]).getDescription()).isEqualTo(
                "SPRING_DATASOURCE_URL sets MODE=MySQL, the bridge needs MODE=PostgreSQL: remove it from the URL "
                        + "(the bridge adds what it needs) or set PostgreSQL");
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
                .contains("SPRING_DATASOURCE_URL sets MODE=MySQL")
                .doesNotContain("at callbridge.store.H2UrlSettings.complete");
    }
}
