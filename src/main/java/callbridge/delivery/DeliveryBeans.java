package callbridge.delivery;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Delivery to Cekura: its routes, ledger, policy, send slots and asynchronous POST (imported by the bridge's auto-configuration). */
@Configuration(proxyBeanMethods = false)
@Import({DeliveryConfiguration.class, DeliveryRoutes.class, DeliveryLedger.class, DeliveryPolicy.class, SendSlots.class,
        CekuraPost.class})
public class DeliveryBeans {
}
