package callbridge.providers.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callbridge.CallBridgeApplication;
import callbridge.providers.ProviderDeclarationCheck.InvalidDeclarationException;
import callbridge.providers.RouteFileUriCheck;
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

/** A provider declaration with a typo'd key, an unknown event kind or an unknown role stops the start, naming file and line. */
@ExtendWith(OutputCaptureExtension.class)
class BadDeclarationTest {
    private static final Path BLAND = Path.of("routes", "bland.camel.yaml");

    @Test
    void aTypoedKeyStopsTheStartNamingFileAndLine(CapturedOutput output) throws Exception {
        Path routes = folderWith(shipped().replace("endedReason: $.call_ended_by", "endedReasn: $.call_ended_by"));
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> new SpringApplicationBuilder(CallBridgeApplication.class).run("--server.port=0",
                "--bridge.routes-dir=" + routes, "--spring.datasource.url=jdbc:h2:mem:bad-declaration").close())
                .satisfies(t -> thrown[0] = t);

        FailureAnalysis analysis = new RouteFileFailureAnalyzer().analyze(thrown[0]);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).startsWith("Provider route file " + routes.resolve("bland.camel.yaml")
                + " is invalid at " + where(routes, "endedReasn:") + ": unknown key 'endedReasn' in a provider declaration; known keys: ");
        assertThat(analysis.getDescription()).contains("endedReason");
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START").contains("bland.camel.yaml is invalid at line")
                .doesNotContain("\tat ");
    }

    @Test
    void anUnknownEventKindNamesFileAndLine() throws Exception {
        Path routes = folderWith(shipped().replace("post_call: ENDED", "post_call: FINISHED"));
        assertThatThrownBy(() -> RouteFileUriCheck.check(routes)).isInstanceOf(InvalidDeclarationException.class)
                .hasMessage("Provider route file " + routes.resolve("bland.camel.yaml") + " is invalid at " + where(routes, "FINISHED")
                        + ": unknown event kind 'FINISHED'; use one of [STARTED, RINGING, ANSWERED, TRANSCRIPT, ENDED, ERROR, UPDATE, OTHER]");
    }

    @Test
    void anUnknownRoleNamesFileAndLine() throws Exception {
        Path routes = folderWith(shipped().replace("assistant: bot", "assistant: robot"));
        assertThatThrownBy(() -> RouteFileUriCheck.check(routes)).isInstanceOf(InvalidDeclarationException.class)
                .hasMessage("Provider route file " + routes.resolve("bland.camel.yaml") + " is invalid at " + where(routes, "robot")
                        + ": unknown role 'robot' for 'assistant'; Cekura's roles are [bot, user, system, function_call, function_call_result]");
    }

    @Test
    void aKeyInsideAnEventEntryAndInTheTranscriptIsCheckedToo() throws Exception {
        Path vapi = folderWith(Files.readString(Path.of("routes", "vapi.camel.yaml")).replace("endedReason: $.message.endedReason",
                "endReason: $.message.endedReason"), "vapi.camel.yaml");
        assertThatThrownBy(() -> RouteFileUriCheck.check(vapi)).hasMessageContaining("vapi.camel.yaml is invalid at line")
                .hasMessageContaining("unknown key 'endReason' in an event type's entry");
        Path transcript = folderWith(shipped().replace("content: text", "contents: text"));
        assertThatThrownBy(() -> RouteFileUriCheck.check(transcript))
                .hasMessageContaining("unknown key 'contents' in transcript.fields; known keys: role, content, start, end, data");
        Path retell = folderWith(Files.readString(Path.of("routes", "retell.camel.yaml"))
                .replace("roleData: { key: retell_role, roles:", "roleData: { key: retell_role, role:"), "retell.camel.yaml");
        assertThatThrownBy(() -> RouteFileUriCheck.check(retell)).hasMessageContaining("retell.camel.yaml is invalid at line")
                .hasMessageContaining("unknown key 'role' in transcript.roleData; known keys: key, roles");
    }

    @Test
    void metadataRestRequiredAndStartDefaultAreCheckedWithTheirLines() throws Exception {
        String salpre = Files.readString(Path.of("routes", "salpre.camel.yaml"));
        Path list = folderWith(salpre.replace("metadataRest: $.payload, $.payload.call", "metadataRest: [$.payload, $.payload.call]"),
                "salpre.camel.yaml");
        assertThatThrownBy(() -> RouteFileUriCheck.check(list)).isInstanceOf(InvalidDeclarationException.class)
                .hasMessageContaining("salpre.camel.yaml is invalid at line 19, column 23: metadataRest is one value: "
                        + "JSONPaths separated by commas, such as $.payload, $.payload.call (Camel binds no YAML list here)");
        Path filter = folderWith(salpre.replace("metadataRest: $.payload, $.payload.call", "metadataRest: $.payload, $.payload[0]"),
                "salpre.camel.yaml");
        assertThatThrownBy(() -> RouteFileUriCheck.check(filter))
                .hasMessageContaining("salpre.camel.yaml is invalid at line 19, column 23: metadataRest takes JSONPaths of objects "
                        + "in dotted form separated by commas, such as $.payload, $.payload.call; '$.payload[0]' is none");
        Path required = folderWith(salpre.replace("required: $.payload.transcript", "required: payload.transcript"),
                "salpre.camel.yaml");
        assertThatThrownBy(() -> RouteFileUriCheck.check(required)).hasMessageContaining("salpre.camel.yaml is invalid at line 26")
                .hasMessageContaining("required takes JSONPaths of fields separated by commas");
        Path startDefault = folderWith(salpre.replace("startDefault: occurredAt", "startDefault: now"), "salpre.camel.yaml");
        assertThatThrownBy(() -> RouteFileUriCheck.check(startDefault)).hasMessageContaining("salpre.camel.yaml is invalid at line 30")
                .hasMessageContaining("unknown transcript startDefault 'now'; use one of [occurredAt]");
        Path typo = folderWith(salpre.replace("metadataRest:", "metadataRst:"), "salpre.camel.yaml");
        assertThatThrownBy(() -> RouteFileUriCheck.check(typo)).hasMessageContaining("salpre.camel.yaml is invalid at line 19, column 9")
                .hasMessageContaining("unknown key 'metadataRst' in a provider declaration").hasMessageContaining("metadataRest, required");
    }

    @Test
    void aDedupeKeyWithAnEmptyValueNamesFileAndLine() throws Exception {
        Path routes = folderWith(shipped().replace("dedupeKey: post_call", "dedupeKey: post_call,"));
        assertThatThrownBy(() -> RouteFileUriCheck.check(routes)).isInstanceOf(InvalidDeclarationException.class)
                .hasMessage("Provider route file " + routes.resolve("bland.camel.yaml") + " is invalid at " + where(routes, "post_call,")
                        + ": dedupeKey is one value, or several separated by commas (joined by '/'), such as $.traceId, $.eventName;"
                        + " its value 2 of 2 is empty");
        String verbex = Files.readString(Path.of("routes", "verbex.camel.yaml"));
        Path twoCommas = folderWith(verbex.replace("$.traceId ?? ${header.X-Webhook-Traceid}, $.eventName",
                "$.traceId ?? ${header.X-Webhook-Traceid},, $.eventName"), "verbex.camel.yaml");
        assertThatThrownBy(() -> RouteFileUriCheck.check(twoCommas)).isInstanceOf(InvalidDeclarationException.class)
                .hasMessageContaining("verbex.camel.yaml is invalid at line").hasMessageEndingWith("its value 2 of 3 is empty");
        // a list is no value
        Path list = folderWith(shipped().replace("dedupeKey: post_call", "dedupeKey: [post_call, $.call_id]"));
        assertThatThrownBy(() -> RouteFileUriCheck.check(list)).isInstanceOf(InvalidDeclarationException.class)
                .hasMessage("Provider route file " + list.resolve("bland.camel.yaml") + " is invalid at " + where(list, "[post_call")
                        + ": dedupeKey must be one value (a JSONPath or a constant)");
    }

    @Test
    void everyShippedRouteFilePassesTheCheck() {
        assertThatCode(() -> RouteFileUriCheck.check(Path.of("routes"))).doesNotThrowAnyException();
        assertThatCode(() -> RouteFileUriCheck.check(Path.of("routes", "examples"))).doesNotThrowAnyException();
    }

    private static String shipped() throws IOException {
        return Files.readString(BLAND);
    }

    private static Path folderWith(String text) throws IOException {
        return folderWith(text, "bland.camel.yaml");
    }

    private static Path folderWith(String text, String name) throws IOException {
        Path routes = Files.createTempDirectory("bad-declaration");
        Files.writeString(routes.resolve(name), text);
        return routes;
    }

    /** "line L, column C" of the first occurrence of {@code text} in the folder's bland file (1-based, as YAML marks). */
    private static String where(Path routes, String text) throws IOException {
        String content = Files.readString(routes.resolve("bland.camel.yaml"));
        int at = content.indexOf(text);
        String before = content.substring(0, at);
        int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
        int column = at - before.lastIndexOf('\n');
        return "line " + line + ", column " + column;
    }
}
