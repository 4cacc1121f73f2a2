package callbridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.CallBridgeApplication;
import callbridge.support.BridgeClient;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import callbridge.support.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A trigger stored but not yet dialed when the application stops: dialed after the restart, or expired. The first
 * run holds its dial route ({@code bridge.outbound.dial-autostart=false}): the trigger is stored, handed off, and
 * answered without a call id, as when the node dies between the store's commit and the dial.
 */
class TriggerRestartTest {
    static final StubHttpServer dialApi = StubHttpServer.start().answerByDefault(Answer.of(200, "{\"id\":\"prov-restart\"}"));
    final String storeUrl = TestStores.fresh("trigger-restart");

    @AfterAll
    static void stop() {
        dialApi.close();
    }

    @Test
    void undialedTriggerIsDialedOnceAfterRestart() throws Exception {
        String id;
        try (ConfigurableApplicationContext stopped = start("60s", false)) {
            id = trigger(stopped, "+14155550601");
        }
        assertThat(dialApi.requests(r -> r.body().contains(id))).isEmpty();
        try (ConfigurableApplicationContext running = start("60s", true)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "dialed".equals(status(running, id)));
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> dialApi.requests(r -> r.body().contains(id)).size() == 1);
        }
    }

    @Test
    void triggerWhoseWindowClosedDuringTheStopExpiresUndialed() throws Exception {
        String id;
        Instant deadline;
        try (ConfigurableApplicationContext stopped = start("2s", false)) {
            id = trigger(stopped, "+14155550602");
            deadline = Instant.now().plusSeconds(2);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(deadline));
        try (ConfigurableApplicationContext running = start("2s", true)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "expired".equals(status(running, id)));
        }
        assertThat(dialApi.requests(r -> r.body().contains(id))).isEmpty();
    }

    private ConfigurableApplicationContext start(String window, boolean dialing) {
        return new SpringApplicationBuilder(CallBridgeApplication.class).run(
                "--server.port=0",
                "--bridge.node-name=trigger-restart",
                "--spring.datasource.url=" + storeUrl,
                "--spring.datasource.username=" + TestStores.username(),
                "--outbound.dial-url=" + dialApi.url("/dial"),
                "--outbound.dial-window=" + window,
                "--bridge.outbound.poll-interval=50",
                "--outbound.answer-wait=200ms",
                "--bridge.outbound.dial-autostart=" + dialing,
                "--bridge.outbound.poll-initial-delay=" + (dialing ? "100" : "3600000"));
    }

    private static String trigger(ConfigurableApplicationContext context, String to) throws Exception {
        var answer = BridgeClient.of(context).post("/cekura/outbound-trigger", "{\"from_number\":\"+15551234567\",\"to_number\":\"" + to + "\"}", Map.of());
        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(BridgeTestSupport.JSON.readTree(answer.body()).path("status").asText()).isEqualTo("received");
        return BridgeTestSupport.JSON.readTree(answer.body()).path("id").asText();
    }

    private static String status(ConfigurableApplicationContext context, String id) throws Exception {
        return BridgeTestSupport.JSON.readTree(BridgeClient.of(context).get("/admin/outbound-triggers/" + id).body()).path("status").asText();
    }

}
