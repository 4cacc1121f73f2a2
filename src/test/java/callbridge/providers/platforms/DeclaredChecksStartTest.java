package callbridge.providers.platforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callbridge.CallBridgeApplication;
import callbridge.support.BridgeClient;
import callbridge.web.RouteFileFailureAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** A check declared in a route file at start: unset, it is open and said so by its variable; malformed, no start. */
@ExtendWith(OutputCaptureExtension.class)
class DeclaredChecksStartTest {

    @Test
    void anUnsetSecretIsWarnedAboutByItsVariableAndTheEndpointIsOpen(CapturedOutput output) throws Exception {
        Path routes = Files.createTempDirectory("open-checks");
        Files.copy(Path.of("routes", "bland.camel.yaml"), routes.resolve("bland.camel.yaml"));
        Files.copy(Path.of("routes", "vapi.camel.yaml"), routes.resolve("vapi.camel.yaml"));
        try (ConfigurableApplicationContext bridge = start(routes, "--vapi.webhook-secret=set-here")) {
            assertThat(output.getOut())
                    .contains("BLAND_WEBHOOK_SECRET is not set: POST /webhooks/bland accepts events from anyone "
                            + "(webhook check 'blandSignature', HmacSHA256 signature in X-Webhook-Signature, is off)")
                    .doesNotContain("BLAND_WEBHOOK_TOKEN is not set")      // the token is not this route's credential
                    .doesNotContain("VAPI_WEBHOOK_SECRET is not set")
                    .doesNotContain("VAPI_WEBHOOK_TOKEN is not set")
                    .doesNotContain("set-here");
            String body = "{\"call_id\":\"open-1\",\"transcripts\":[]}";
            assertThat(BridgeClient.of(bridge).post("/webhooks/bland", body).body()).isEqualTo("{\"status\":\"accepted\"}");
            assertThat(BridgeClient.of(bridge).post("/webhooks/vapi", body, Map.of()).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aMalformedDeclarationStopsTheStartNamingTheBean(CapturedOutput output) throws Exception {
        Path routes = Files.createTempDirectory("bad-check");
        // bland's file with a check of another name: it replaces the bundled bland (same provider name, same route id)
        Files.writeString(routes.resolve("bland.camel.yaml"), Files.readString(Path.of("routes", "bland.camel.yaml"))
                .replace("header: X-Webhook-Signature", "header: X-Webhook-Signature\n        encoding: hexa")
                .replace("blandSignature", "acmeSignature"));
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> start(routes, "--bland.webhook-secret=s3cr3t-value").close()).satisfies(t -> thrown[0] = t);
        var analysis = new RouteFileFailureAnalyzer().analyze(thrown[0]);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).isEqualTo("Webhook check 'acmeSignature' (HmacSignatureCheck in file:"
                + routes.resolve("bland.camel.yaml") + "): unknown encoding 'hexa': use hex, base64 or base64url");
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START").contains("acmeSignature").doesNotContain("s3cr3t-value");
    }

    @Test
    void anUnknownVapiWebhookAuthStopsTheStartNamingTheCheckItLookedFor(CapturedOutput output) throws Exception {
        Path routes = Files.createTempDirectory("vapi-auth");
        assertThatThrownBy(() -> start(routes, "--vapi.webhook-auth=token", "--vapi.webhook-secret=s3cr3t-value").close())
                .hasStackTraceContaining("vapi-token");
        assertThat(output.getOut()).doesNotContain("s3cr3t-value");
    }

    private static ConfigurableApplicationContext start(Path routes, String... more) {
        String[] args = new String[3 + more.length];
        args[0] = "--server.port=0";
        args[1] = "--bridge.routes-dir=" + routes;
        args[2] = "--spring.datasource.url=jdbc:h2:mem:" + routes.getFileName();
        System.arraycopy(more, 0, args, 3, more.length);
        return new SpringApplicationBuilder(CallBridgeApplication.class).run(args);
    }
}
