package callbridge.store;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The bridge's store: its DataSource (the application's or its own), its writes' health, the shared flush. */
@Configuration(proxyBeanMethods = false)
@Import({BridgeStore.class, StoreFlush.class, StoreWriteHealth.class})
public class StoreConfiguration {
}
