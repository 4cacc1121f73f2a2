package callbridge.outbound;

import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Cekura's Trigger URL and the dialing behind it, when {@link TriggerEnabled}: off, {@code POST
 * /cekura/outbound-trigger} has no route and no endpoint, nothing dials, and the body filter does not guard the path.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(TriggerEnabled.class)
@Import({OutboundRoutes.class, TriggerGuard.class, TriggerRateLimit.class, TriggerDialing.class, OutboundStartCheck.class})
public class TriggerConfiguration {
}
