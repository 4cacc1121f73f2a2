package callbridge.providers.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callbridge.CallBridgeApplication;
import callbridge.providers.RouteFileUriCheck;
import callbridge.providers.RouteFileUriCheck.UnsafeRouteFileException;
import callbridge.web.RouteFileFailureAnalyzer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A provider file whose endpoint URI the message could shape ({@code ${...}}) stops the start, naming file and line. */
@ExtendWith(OutputCaptureExtension.class)
class DynamicEndpointRouteFileTest {
    private static final String HEAD = """
            - route:
                id: ingest-shaped
                from:
                  uri: platform-http:/webhooks/shaped
                  steps:
                    - setProperty: { name: bridgeProvider, constant: shaped }
                    - setHeader: { name: x, simple: "${body}" }
            """;

    @Test
    void toDWithSimpleStopsTheStartNamingFileAndLine(CapturedOutput output) throws Exception {
        Path routes = folderWith("shaped.camel.yaml", HEAD + """
                        - toD: "http://example.invalid/${header.x}"
                """);

        FailureAnalysis analysis = new RouteFileFailureAnalyzer().analyze(catchStart(routes));
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).isEqualTo("Provider route file " + routes.resolve("shaped.camel.yaml")
                + " is refused at line 8, column 16: toD puts ${...} into an endpoint URI"
                + " (a webhook value could choose the endpoint or its options)");
        assertThat(analysis.getAction()).contains("CamelHttpPath");
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
                .contains("shaped.camel.yaml is refused at line 8")
                .doesNotContain("\tat ");
    }

    @Test
    void simpleInAToUriStopsTheStartNamingFileAndLine(CapturedOutput output) throws Exception {
        Path routes = folderWith("shaped.camel.yaml", HEAD + """
                        - to:
                            uri: "http://example.invalid/calls/${header.x}"
                """);

        FailureAnalysis analysis = new RouteFileFailureAnalyzer().analyze(catchStart(routes));
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).startsWith("Provider route file " + routes.resolve("shaped.camel.yaml")
                + " is refused at line 9, column 18: to puts ${...} into an endpoint URI");
        assertThat(output.getOut()).contains("shaped.camel.yaml is refused at line 9");
    }

    @Test
    void everyShapeThatLetsTheMessageChooseAnEndpointIsRefused() throws Exception {
        refused("- toD: { uri: \"http://example.invalid/calls\", parameters: { proxyHost: \"${header.h}\" } }", "toD puts ${...}");
        refused("- toD: \"http://example.invalid/$simple{header.x}\"", "toD puts ${...}");
        refused("- wireTap: { uri: \"seda:${header.x}\" }", "wireTap puts ${...}");
        refused("- recipientList: { header: targets }", "recipientList computes its endpoint from the message");
        refused("- routingSlip: { simple: \"direct:a\" }", "routingSlip computes its endpoint");
        refused("- dynamicRouter: { method: { ref: router } }", "dynamicRouter computes its endpoint");
        refused("- enrich: { expression: { simple: \"direct:complete-${header.p}\" } }", "enrich computes its endpoint");
        refused("- pollEnrich: { simple: \"file:in?fileName=${header.f}\" }", "pollEnrich computes its endpoint");
        refused("- enrich: { constant: \"direct:${header.p}\" }", "enrich puts ${...}");
        refused("- to: { uri: \"http://example.invalid\", parameters: { proxyHost: \"${header.h}\" } }", "to puts ${...}");
    }

    @Test
    void placeholdersConstantsAndSimpleOutsideUrisAreAllowed() throws Exception {
        Path routes = folderWith("fine.camel.yaml", HEAD + """
                        - to: "{{verbex.api-url:http://unset.invalid}}/calls?connectTimeout=5000"
                        - toD: "{{verbex.api-url:http://unset.invalid}}"
                        - enrich: { constant: "direct:complete-fine", aggregationStrategy: bridgeCallEnrichment }
                        - setHeader: { name: CamelHttpPath, method: { ref: bridgePathSegment, method: "under('calls', ${exchangeProperty.bridgeCallId})" } }
                        - log: "sent ${header.CamelHttpPath}"
                """);
        Files.writeString(routes.resolve("notes.txt"), "- toD: \"http://example.invalid/${header.x}\"\n");   // not a route file
        assertThatCode(() -> RouteFileUriCheck.check(routes)).doesNotThrowAnyException();
    }

    @Test
    void theShippedRouteFilesPass() {
        assertThatCode(() -> RouteFileUriCheck.check(Path.of("routes"))).doesNotThrowAnyException();
        assertThatCode(() -> RouteFileUriCheck.check(Path.of("routes", "examples"))).doesNotThrowAnyException();
    }

    private static void refused(String step, String problem) throws IOException {
        Path routes = folderWith("shaped.camel.yaml", HEAD + "        " + step + "\n");
        assertThatThrownBy(() -> RouteFileUriCheck.check(routes)).as(step)
                .isInstanceOf(UnsafeRouteFileException.class)
                .hasMessageContaining("shaped.camel.yaml is refused at line 8")
                .hasMessageContaining(problem)
                .satisfies(t -> assertThat(((UnsafeRouteFileException) t).line()).isEqualTo(8));
    }

    private static Path folderWith(String name, String yaml) throws IOException {
        Path routes = Files.createTempDirectory("shaped-routes");
        Files.writeString(routes.resolve(name), yaml);
        return routes;
    }

    private static Throwable catchStart(Path routes) {
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> new SpringApplicationBuilder(CallBridgeApplication.class).run(
                "--server.port=0",
                "--bridge.routes-dir=" + routes,
                "--spring.datasource.url=jdbc:h2:mem:shaped-routes;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"))
                .satisfies(t -> thrown[0] = t);
        return thrown[0];
    }
}
