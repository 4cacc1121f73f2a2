package callbridge.providers;

import callbridge.BridgeJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Resource;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Loads the provider route files, the {@code *.yaml} directly in {@code BRIDGE_ROUTES_DIR}, into the application's
 * CamelContext: the bridge's own loading, so the application's ({@code camel.main.routes-include-pattern}, its
 * {@code classpath:camel/*} files, its Java routes) stays as it is. Runs after camel-spring-boot added the Java
 * routes and route configurations (the files' {@code routeConfigurationId: bridge-webhook-errors} refers to one)
 * and before the context starts; {@link RouteFileUriCheck} has read the same files before, while the Spring context
 * was built. A file Camel cannot load stops the start with its name, line and column (web/RouteFileFailureAnalyzer).
 *
 * <p>Before the files, it puts {@code bridgeJsonFormat} into Camel's registry (not Spring's): a data format on the
 * bridge's own mapper for the files' {@code unmarshal: { custom: { ref: bridgeJsonFormat } }}.
 */
@Component
public class ProviderRoutesLoader implements CamelContextConfiguration {
    public static final String JSON_FORMAT = "bridgeJsonFormat";
    private static final Logger LOG = LoggerFactory.getLogger(ProviderRoutesLoader.class);
    private final Path routesDir;
    private final BridgeJson json;
    private final ObjectProvider<RouteFilesCheck> checks;

    /** {@code checked}: the route files were refused or passed before anything loads them. */
    public ProviderRoutesLoader(@Value("${bridge.routes-dir:./routes}") String routesDir, BridgeJson json,
            RouteFileUriCheck checked, ObjectProvider<RouteFilesCheck> checks) {
        this.routesDir = Path.of(routesDir);
        this.json = json;
        this.checks = checks;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        camel.getRegistry().bind(JSON_FORMAT, json.dataFormat());
        List<Path> files = routeFiles(routesDir);
        var loader = PluginHelper.getResourceLoader(camel);
        List<Resource> resources = files.stream().map(file -> loader.resolveResource("file:" + file)).toList();
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(resources);
        } catch (Exception failed) {
            throw RuntimeCamelException.wrapRuntimeException(failed);
        }
        LOG.info("Loaded {} provider route file(s) from {}", files.size(), routesDir);
        // checks of what the files declare (outbound's dial route) run here: camel-spring-boot calls context
        // configurations in bean order, so a check of its own could come before the files are loaded
        checks.orderedStream().forEach(check -> check.routeFilesLoaded(camel));
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
    }

    /** The folder's {@code *.yaml} files, by name; a folder that does not exist stops the start. */
    static List<Path> routeFiles(Path routesDir) {
        if (!Files.isDirectory(routesDir)) {
            throw new IllegalStateException("provider routes folder " + routesDir + " not found",
                    new NoSuchFileException(routesDir.toString()));
        }
        try (Stream<Path> files = Files.list(routesDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
