package callbridge.claims;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Which node works on what (claims, the node's identity) and the bridge's liveness. */
@Configuration(proxyBeanMethods = false)
@Import({Claims.class, NodeIdentity.class, BridgeLiveness.class, PollerErrors.class, WorkerThreadDeaths.class})
public class ClaimsConfiguration {
}
