package callbridge.admin;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The ops page and the admin API ({@code BRIDGE_ADMIN_ENABLED}, on unless {@code false}): off, neither has a route nor
 * an endpoint, and the body filter does not guard their paths. The guard is the host's when it has an
 * {@link AdminGuard} bean of its own.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "bridge.admin", name = "enabled", matchIfMissing = true)
@Import({AdminRoutes.class, AdminErrors.class, AdminGuard.class, AdminPage.class, AdminSummary.class, RecentCalls.class,
        CallAdminView.class, DeadLetters.class, RecentTriggers.class})
public class AdminConfiguration {
}
