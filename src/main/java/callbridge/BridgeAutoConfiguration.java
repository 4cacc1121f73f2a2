package callbridge;

import callbridge.admin.AdminConfiguration;
import callbridge.admin.BridgeGauges;
import callbridge.calls.CallsConfiguration;
import callbridge.calls.CallsProperties;
import callbridge.claims.ClaimsConfiguration;
import callbridge.delivery.CekuraProperties;
import callbridge.delivery.DeliveryBeans;
import callbridge.ingest.IngestConfiguration;
import callbridge.ingest.IngestProperties;
import callbridge.metrics.BridgeMetricsConfiguration;
import callbridge.outbound.OutboundConfiguration;
import callbridge.outbound.OutboundProperties;
import callbridge.providers.ProvidersConfiguration;
import callbridge.store.StoreConfiguration;
import callbridge.store.StoreProperties;
import callbridge.web.BridgeHealthGroups;
import callbridge.web.BridgeSecurityConfiguration;
import callbridge.web.StartupWarnings;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * The bridge inside any Spring Boot + Camel application, the standalone one included: its routes join the
 * application's CamelContext, its endpoints answer on the application's port, it stores in the application's
 * primary DataSource unless {@code BRIDGE_DATASOURCE_URL} gives it its own (store/BridgeStore), with its own Flyway
 * history, its own JSON mapper ({@link BridgeJson}) and its provider route files, bundled in the jar and from
 * {@code BRIDGE_ROUTES_DIR} (providers/ProviderRoutesLoader). It sets none of the application's properties.
 *
 * <p>No component scan: each feature is a configuration of its package, imported here, as Spring Boot's own
 * auto-configurations do, so that a feature can be switched off (admin API and page: {@code BRIDGE_ADMIN_ENABLED}; the
 * trigger endpoint: {@code BRIDGE_TRIGGER_ENABLED}; providers: {@code BRIDGE_PROVIDERS}) and a piece replaced by a
 * host's bean of the same type (the admin guard, the JSON mapper) or name (the clock, {@link BridgeConfiguration#CLOCK}).
 * With Spring Security in the host, the bridge's own paths get a filter chain of their own
 * ({@link BridgeSecurityConfiguration}). {@code BRIDGE_ENABLED=false}: none of it.
 */
// after Spring Security's: a host without a filter chain of its own keeps Spring Boot's default one beside the bridge's
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class},
        // and after the probes' groups are made: the bridge's probe members join them (BridgeHealthGroups)
        afterName = {"org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration"})
@ConditionalOnProperty(prefix = "bridge", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({CallsProperties.class, IngestProperties.class, StoreProperties.class,
        CekuraProperties.class, OutboundProperties.class})
@Import({BridgeConfiguration.class, BridgeJson.class, StoreConfiguration.class, ClaimsConfiguration.class,
        IngestConfiguration.class, ProvidersConfiguration.class, CallsConfiguration.class, DeliveryBeans.class,
        OutboundConfiguration.class, AdminConfiguration.class, BridgeGauges.class, BridgeMetricsConfiguration.class, StartupWarnings.class,
        BridgeSecurityConfiguration.class, BridgeHealthGroups.class})
public class BridgeAutoConfiguration {
}
