package callbridge.providers;

import callbridge.BridgeJson;
import callbridge.providers.ProviderRouteFiles.RouteFile;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Resource;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Loads the provider route files ({@link ProviderRouteFiles}: the bundled ones from the classpath, replaced or added to
 * by the {@code *.yaml} directly in {@code BRIDGE_ROUTES_DIR}, kept to {@code BRIDGE_PROVIDERS}) into the application's
 * CamelContext: the bridge's own loading, so the application's ({@code camel.main.routes-include-pattern}, its
 * {@code classpath:camel/*} files, its Java routes) stays as it is. Runs after camel-spring-boot added the Java
 * routes and route configurations (the files' {@code routeConfigurationId: bridge-webhook-errors} refers to one)
 * and before the context starts; {@link RouteFileUriCheck} has read the extra folder's files before, while the Spring
 * context was built. A file Camel cannot load stops the start with its name, line and column
 * (web/RouteFileFailureAnalyzer). The start log lists each provider served and where its file came from.
 *
 * <p>Before the files, it puts {@code bridgeJsonFormat} into Camel's registry (not Spring's): a data format on the
 * bridge's own mapper for the files' {@code unmarshal: { custom: { ref: bridgeJsonFormat } }}.
 */
@Component
public class ProviderRoutesLoader implements CamelContextConfiguration {
    public static final String JSON_FORMAT = "bridgeJsonFormat";
    private static final Logger LOG = LoggerFactory.getLogger(ProviderRoutesLoader.class);
    private final String routesDir;
    private final String providers;
    private final BridgeJson json;
    private final ObjectProvider<RouteFilesCheck> checks;

    /** {@code checked}: the route files were refused or passed before anything loads them. */
    public ProviderRoutesLoader(@Value("${bridge.routes-dir:}") String routesDir, @Value("${bridge.providers:}") String providers,
            BridgeJson json, RouteFileUriCheck checked, ObjectProvider<RouteFilesCheck> checks) {
        this.routesDir = routesDir;
        this.providers = providers;
        this.json = json;
        this.checks = checks;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        camel.getRegistry().bind(JSON_FORMAT, json.dataFormat());
        List<RouteFile> files = ProviderRouteFiles.resolve(routesDir, providers);
        var loader = PluginHelper.getResourceLoader(camel);
        List<Resource> resources = files.stream().map(file -> file.bundled()
                ? ResourceHelper.fromBytes(file.location(), file.content())
                : loader.resolveResource("file:" + file.path())).toList();
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(resources);
        } catch (Exception failed) {
            throw RuntimeCamelException.wrapRuntimeException(failed);
        }
        for (RouteFile file : files) {
            LOG.info("Provider {}: {}", file.provider(), file.describe());
        }
        LOG.info("Loaded {} provider route file(s): bundled, BRIDGE_ROUTES_DIR {}, BRIDGE_PROVIDERS {}", files.size(),
                routesDir.isBlank() ? "unset" : routesDir, providers.isBlank() ? "unset (all)" : providers);
        // checks of what the files declare (outbound's dial route) run here: camel-spring-boot calls context
        // configurations in bean order, so a check of its own could come before the files are loaded
        checks.orderedStream().forEach(check -> check.routeFilesLoaded(camel));
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
    }
}
