package callbridge.ingest;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.WeakHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Route;
import org.apache.camel.spi.RouteIdAware;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which of the bridge's platform-http routes a request path belongs to, and the methods it takes, as Camel
 * registered them ({@code httpMethodRestrict}): the body filter refuses a method no route takes before it reads
 * a byte of the body. Paths are matched as Spring MVC matches them ({@code {name}} templates).
 */
public class RouteEndpoints {
    /** One path of the bridge: the methods routes take on it, and the route per method. */
    public record Match(String path, Map<String, String> routeByMethod, boolean anyMethod) {
        /** HEAD is served wherever GET is (Spring MVC does so). */
        public boolean takes(String method) {
            return anyMethod || routeByMethod.containsKey(served(method));
        }

        /** The route serving {@code method}, if one does. */
        public Optional<String> routeFor(String method) {
            return Optional.ofNullable(routeByMethod.get(served(method)));
        }

        private static String served(String method) {
            String upper = method.toUpperCase(Locale.ROOT);
            return "HEAD".equals(upper) ? "GET" : upper;
        }

        public String allowHeader() {
            return String.join(", ", routeByMethod.keySet());
        }
    }

    private final CamelContext camel;
    private final Map<String, PathPattern> patterns = new ConcurrentHashMap<>();
    private final Map<Consumer, String> routeOfConsumer = Collections.synchronizedMap(new WeakHashMap<>());

    public RouteEndpoints(CamelContext camel) {
        this.camel = camel;
    }

    /** The bridge path {@code path} (without the servlet context path) matches, if any. */
    public Optional<Match> match(String path) {
        PlatformHttpComponent component = camel.hasComponent("platform-http") instanceof PlatformHttpComponent http ? http : null;
        if (component == null) {
            return Optional.empty();
        }
        PathContainer requested = PathContainer.parsePath(path);
        String matchedUri = null;
        Map<String, String> routeByMethod = new java.util.LinkedHashMap<>();
        boolean anyMethod = false;
        for (HttpEndpointModel model : component.getHttpEndpoints()) {
            if (!pattern(model.getUri()).matches(requested)) {
                continue;
            }
            // a literal path beats a template ("/admin/calls" before "/admin/{x}"), as Spring MVC chooses
            if (matchedUri != null && !matchedUri.equals(model.getUri())) {
                if (pattern(model.getUri()).compareTo(pattern(matchedUri)) >= 0) {
                    continue;
                }
                routeByMethod.clear();
                anyMethod = false;
            }
            matchedUri = model.getUri();
            String route = routeId(model.getConsumer());
            if (model.getVerbs() == null || model.getVerbs().isBlank()) {
                anyMethod = true;
            } else {
                for (String verb : methods(model.getVerbs())) {
                    routeByMethod.put(verb, route);
                }
            }
        }
        return matchedUri == null ? Optional.empty() : Optional.of(new Match(matchedUri, routeByMethod, anyMethod));
    }

    private PathPattern pattern(String uri) {
        return patterns.computeIfAbsent(uri, PathPatternParser.defaultInstance::parse);
    }

    private static Set<String> methods(String verbs) {
        Set<String> methods = new LinkedHashSet<>();
        for (String verb : verbs.split(",")) {
            if (!verb.isBlank()) {
                methods.add(verb.trim().toUpperCase(Locale.ROOT));
            }
        }
        return methods;
    }

    /**
     * The route the consumer belongs to: its own id when it knows it, else the route of its endpoint (platform-http
     * registers its inner consumer, which knows no route id).
     */
    private String routeId(Consumer consumer) {
        String routeId = consumer instanceof RouteIdAware aware ? aware.getRouteId() : null;
        if (routeId == null && consumer != null) {
            routeId = routeOfConsumer.computeIfAbsent(consumer, c -> camel.getRoutes().stream()
                    .filter(route -> route.getEndpoint() == c.getEndpoint()).map(Route::getRouteId).findFirst().orElse(""));
        }
        return routeId == null ? "" : routeId;
    }
}
