package callbridge.providers;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The providers' route files (bundled, BRIDGE_ROUTES_DIR, BRIDGE_PROVIDERS) and the beans they call. */
@Configuration(proxyBeanMethods = false)
@Import({ProviderRoutesLoader.class, ProviderWebhookTemplate.class, RouteFileUriCheck.class, ProviderEarlyCredentials.class,
        CanonicalEventBuilder.class, JsonFields.class, PathSegment.class})
public class ProvidersConfiguration {
}
