package callbridge.providers.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callbridge.CallBridgeApplication;
import callbridge.web.RouteFileFailureAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A broken provider file stops the start with its name and line, not a stack trace wall. */
@ExtendWith(OutputCaptureExtension.class)
class BadRouteFileTest {

    @Test
    void brokenYamlNamesFileAndLine(CapturedOutput output) throws Exception {
        Path routes = Files.createTempDirectory("bad-routes");
        Files.writeString(routes.resolve("broken.camel.yaml"), """
                - route:
                    id: ingest-broken
                    from:
                      uri: platform-http:/webhooks/broken
                      steps:
                        - setProperty: { name: bridgeProvider, constant: broken }
                        - tooo: direct:bridge-webhook-accept
                """);

        Throwable failure = catchStart(routes);
        FailureAnalysis analysis = new RouteFileFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription())
                .startsWith("Provider route file " + routes.resolve("broken.camel.yaml") + " is invalid at line 7, column 11: Unknown node id: tooo");
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
                .contains("broken.camel.yaml is invalid at line 7, column 11")
                .doesNotContain("at org.apache.camel.spring.boot.CamelSpringBootApplicationListener");
    }

    @Test
    void missingRoutesFolderIsSaidPlainly(CapturedOutput output) {
        Throwable failure = catchStart(Path.of("target", "no-such-routes-folder"));
        assertThat(new RouteFileFailureAnalyzer().analyze(failure).getDescription())
                .isEqualTo("The provider routes folder target/no-such-routes-folder does not exist.");
    }

    private static Throwable catchStart(Path routes) {
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> new SpringApplicationBuilder(CallBridgeApplication.class).run(
                "--server.port=0",
                "--bridge.routes-dir=" + routes,
                "--spring.datasource.url=jdbc:h2:mem:bad-routes"))
                .satisfies(t -> thrown[0] = t);
        return thrown[0];
    }
}
