package callbridge.calls;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Calls: gathering their events, completing and assembling them, purging them after BRIDGE_RETENTION. */
@Configuration(proxyBeanMethods = false)
@Import({CallRoutes.class, CallStore.class, CallCompletion.class, CallAssembler.class, CallEnrichment.class,
        AssemblyBudget.class, OwnClaimsRecovery.class, RetentionPurge.class})
public class CallsConfiguration {
}
