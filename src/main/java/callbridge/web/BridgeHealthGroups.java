package callbridge.web;

import java.util.Map;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.StatusAggregator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * The bridge's probes in any application's health groups ({@code BRIDGE_HEALTH_GROUPS_ENABLED}, on unless
 * {@code false}): where the application has a {@code liveness} group (Kubernetes, or
 * {@code management.endpoint.health.probes.enabled}), {@code bridgeLiveness} joins it; where it has a
 * {@code readiness} group, {@code bridgeStoreWrites} joins it, so a node whose store refuses writes (every webhook
 * 503) leaves rotation. Liveness never gets the store. The groups' other members and settings stay the host's.
 */
@ConditionalOnProperty(prefix = "bridge.health.groups", name = "enabled", matchIfMissing = true)
public class BridgeHealthGroups implements HealthEndpointGroupsPostProcessor {
    private static final Map<String, String> JOINS = Map.of("liveness", "bridgeLiveness", "readiness", "bridgeStoreWrites");

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        return new HealthEndpointGroups() {
            @Override
            public HealthEndpointGroup getPrimary() {
                return groups.getPrimary();
            }

            @Override
            public Set<String> getNames() {
                return groups.getNames();
            }

            @Override
            public HealthEndpointGroup get(String name) {
                HealthEndpointGroup group = groups.get(name);
                String member = JOINS.get(name);
                return group == null || member == null ? group : new Joined(group, member);
            }
        };
    }

    /** A group of the application's, with the bridge's member added. */
    private record Joined(HealthEndpointGroup group, String member) implements HealthEndpointGroup {
        @Override
        public boolean isMember(String name) {
            return member.equals(name) || group.isMember(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return group.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return group.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return group.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return group.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return group.getAdditionalPath();
        }
    }
}
