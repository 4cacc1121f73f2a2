package callbridge.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callbridge.providers.ProviderRouteFiles.RouteFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled route files come from the classpath; the extra folder adds or replaces by provider name; BRIDGE_PROVIDERS keeps. */
class ProviderRouteFilesTest {
    @TempDir
    Path extra;

    @Test
    void everyRouteFileOfTheProjectIsBundledByItsProviderName() throws Exception {
        List<String> project;
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            project = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml"))
                    .map(ProviderRouteFiles::providerName).sorted().toList();
        }
        List<RouteFile> bundled = ProviderRouteFiles.resolve("", "");
        assertThat(bundled).extracting(RouteFile::provider).containsExactlyElementsOf(project).contains("salpre", "dial-vapi");
        assertThat(bundled).allMatch(RouteFile::bundled);
        assertThat(bundled.get(0).location()).startsWith("classpath:callbridge/routes/");
        assertThat(new String(bundled.stream().filter(f -> f.provider().equals("salpre")).findFirst().orElseThrow().content(),
                StandardCharsets.UTF_8)).isEqualTo(Files.readString(Path.of("routes", "salpre.camel.yaml")));
    }

    @Test
    void aFileOfTheExtraFolderAddsAProviderOrReplacesTheBundledOneOfItsName() throws Exception {
        Files.writeString(extra.resolve("acme.camel.yaml"), "# acme");
        Files.writeString(extra.resolve("vapi.camel.yaml"), "# my vapi");
        Files.createDirectory(extra.resolve("examples"));
        Files.writeString(extra.resolve("examples").resolve("nested.camel.yaml"), "# not loaded");
        List<RouteFile> files = ProviderRouteFiles.resolve(extra.toString(), "");
        RouteFile vapi = files.stream().filter(f -> f.provider().equals("vapi")).findFirst().orElseThrow();
        assertThat(vapi.path()).isEqualTo(extra.resolve("vapi.camel.yaml"));
        assertThat(vapi.replacesBundled()).isTrue();
        assertThat(vapi.describe()).isEqualTo("BRIDGE_ROUTES_DIR route file " + extra.resolve("vapi.camel.yaml") + " (replaces the bundled one)");
        RouteFile acme = files.stream().filter(f -> f.provider().equals("acme")).findFirst().orElseThrow();
        assertThat(acme.replacesBundled()).isFalse();
        assertThat(files).extracting(RouteFile::provider).doesNotContain("nested").contains("salpre", "verbex")
                .doesNotHaveDuplicates();
    }

    @Test
    void bridgeProvidersKeepsTheListedProvidersAndEveryDialRoute() {
        List<RouteFile> files = ProviderRouteFiles.resolve("", " salpre , vapi ");
        assertThat(files).extracting(RouteFile::provider).filteredOn(name -> !name.startsWith("dial-")).containsExactly("salpre", "vapi");
        assertThat(files).extracting(RouteFile::provider).contains("dial-vapi", "dial-http");
    }

    @Test
    void aProviderNameNoFileHasStopsTheStart() {
        assertThatThrownBy(() -> ProviderRouteFiles.resolve("", "salpre,salpr"))
                .isInstanceOf(ProviderRouteFiles.UnknownProvidersException.class)
                .hasMessageStartingWith("BRIDGE_PROVIDERS names salpr but no route file");
        var analysis = new callbridge.web.RouteFileFailureAnalyzer().analyze(new IllegalStateException("start",
                new ProviderRouteFiles.UnknownProvidersException("BRIDGE_PROVIDERS names salpr but no route file")));
        assertThat(analysis.getDescription()).isEqualTo("BRIDGE_PROVIDERS names salpr but no route file");
    }

    @Test
    void aMissingExtraFolderStopsTheStart() {
        assertThatThrownBy(() -> ProviderRouteFiles.resolve(extra.resolve("missing").toString(), ""))
                .hasMessageContaining("not found");
    }

    @Test
    void providerNameIsTheFileNameWithoutItsYamlExtension() {
        assertThat(ProviderRouteFiles.providerName("salpre.camel.yaml")).isEqualTo("salpre");
        assertThat(ProviderRouteFiles.providerName("dial-vapi.camel.yaml")).isEqualTo("dial-vapi");
        assertThat(ProviderRouteFiles.providerName("acme.yaml")).isEqualTo("acme");
    }
}
