package callbridge.providers;

import callbridge.ingest.EarlyCredentialCheck;
import callbridge.ingest.RequestCredentials;
import callbridge.ingest.WebhookCheck;
import callbridge.ingest.WebhookGuard;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.springframework.stereotype.Component;

/**
 * A provider webhook's header credential, checked before its body is read: the {@link WebhookCheck}s its route uses
 * (a shared secret in full; a signature header at least present), and the token of a declared provider that has no
 * check of its own ({@code X-Webhook-Token} or {@code ?token=}). A route file written in full that checks a token
 * itself is left to its route (its provider is not known before it runs).
 */
@Component
public class ProviderEarlyCredentials implements EarlyCredentialCheck {
    private static final String TOKEN_ACCEPT = "direct:bridge-webhook-accept";

    /** What a route's headers must satisfy, resolved once per route. */
    private record RouteCredentials(List<WebhookCheck> checks, String tokenProvider) {
    }

    private final CamelContext camel;
    private final WebhookGuard guard;
    private final Map<String, RouteCredentials> byRoute = new ConcurrentHashMap<>();

    public ProviderEarlyCredentials(CamelContext camel, WebhookGuard guard) {
        this.camel = camel;
        this.guard = guard;
    }

    @Override
    public boolean refuses(String routeId, HttpServletRequest request) {
        if (routeId.isEmpty()) {
            return false;
        }
        RouteCredentials credentials = byRoute.computeIfAbsent(routeId, this::resolve);
        for (WebhookCheck check : credentials.checks()) {
            if (!check.mayPass(request.getHeader(check.getHeader()))) {
                return true;
            }
        }
        return credentials.tokenProvider() != null && !guard.admitsToken(credentials.tokenProvider(),
                request.getHeader(WebhookGuard.TOKEN_HEADER), RequestCredentials.queryParameter(request, WebhookGuard.TOKEN_QUERY));
    }

    private RouteCredentials resolve(String routeId) {
        List<WebhookCheck> checks = WebhookCheck.usedBy(camel, routeId);
        return new RouteCredentials(checks, checks.isEmpty() ? tokenProvider(routeId) : null);
    }

    /** The provider of a route made from {@code bridge-provider-webhook} whose accept step checks the token. */
    private String tokenProvider(String routeId) {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition route = model == null ? null : model.getRouteDefinition(routeId);
        Map<String, Object> parameters = route == null ? null : route.getTemplateParameters();
        // the template's own parameters (Camel keeps no template id on the route): provider and declaration
        if (parameters == null || !parameters.containsKey("declaration")) {
            return null;
        }
        Object accept = parameters.getOrDefault("accept", TOKEN_ACCEPT);
        Object provider = parameters.get("provider");
        return TOKEN_ACCEPT.equals(String.valueOf(accept)) && provider != null ? String.valueOf(provider) : null;
    }
}
