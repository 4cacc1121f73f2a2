package callbridge.store;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The bridge's own store, {@code bridge.datasource.*}: {@code BRIDGE_DATASOURCE_URL}, {@code _USERNAME},
 * {@code _PASSWORD}. Unset (the usual case, standalone too): the bridge stores in the application's primary
 * DataSource ({@code SPRING_DATASOURCE_URL} when it runs alone).
 *
 * @param maximumPoolSize   connections of the bridge's own pool ({@code BRIDGE_DATASOURCE_MAXIMUM_POOL_SIZE})
 * @param connectionTimeout a store that is down is said within this (webhooks 503, health DOWN)
 */
@ConfigurationProperties("bridge.datasource")
public record StoreProperties(
        String url,
        @DefaultValue("sa") String username,
        @DefaultValue("") String password,
        @DefaultValue("10") int maximumPoolSize,
        @DefaultValue("5s") Duration connectionTimeout) {

    /** True when the bridge has a store of its own instead of the application's DataSource. */
    public boolean ownStore() {
        return url != null && !url.isBlank();
    }
}
