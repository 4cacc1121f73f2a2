package callbridge;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * The bridge inside any Spring Boot + Camel application, the standalone one included: its routes join the
 * application's CamelContext, its endpoints answer on the application's port, it stores in the application's
 * primary DataSource unless {@code BRIDGE_DATASOURCE_URL} gives it its own (store/BridgeStore), with its own Flyway
 * history, its own JSON mapper ({@link BridgeJson}) and its provider route files, bundled in the jar and from
 * {@code BRIDGE_ROUTES_DIR} (providers/ProviderRoutesLoader). It sets none of the application's properties. {@code BRIDGE_ENABLED=false}:
 * none of it.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
@ConditionalOnProperty(prefix = "bridge", name = "enabled", matchIfMissing = true)
@ComponentScan(basePackageClasses = BridgeAutoConfiguration.class, nameGenerator = BridgeBeanNames.class,
        excludeFilters = {
            @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
            // the standalone application (CallBridgeApplication) is a configuration of its own, not part of the bridge
            @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = SpringBootConfiguration.class)})
@ConfigurationPropertiesScan(basePackageClasses = BridgeAutoConfiguration.class)
public class BridgeAutoConfiguration {
}
