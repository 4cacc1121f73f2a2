package callbridge.calls;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.direct.DirectEndpoint;

/**
 * Finds a provider's completion hook, the started route consuming {@code direct:bridge-complete-<provider>}
 * (e.g. Verbex fetches its API there), among the context's routes. The provider name is only compared
 * with the routes' own endpoints, never made into an endpoint URI: an odd name finds nothing.
 */
final class CompletionHooks {
    static final String PREFIX = "bridge-complete-";

    private CompletionHooks() {
    }

    /** The hook's endpoint for the exchange's provider, or null (the call is assembled as it is). */
    static Endpoint of(Exchange exchange) {
        String provider = exchange.getProperty(CallEvent.PROVIDER_PROPERTY, String.class);
        if (provider == null) {
            return null;
        }
        String key = PREFIX + provider;
        for (Route route : exchange.getContext().getRoutes()) {
            if (route.getEndpoint() instanceof DirectEndpoint direct && key.equals(name(direct))
                    && exchange.getContext().getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                return direct;
            }
        }
        return null;
    }

    /** {@code bridge-complete-verbex} of {@code direct://bridge-complete-verbex} (or {@code direct:bridge-complete-verbex}). */
    private static String name(DirectEndpoint endpoint) {
        String base = endpoint.getEndpointBaseUri();
        String name = base.substring(base.indexOf(':') + 1);
        return name.startsWith("//") ? name.substring(2) : name;
    }
}
