package callbridge.web;

import callbridge.ingest.RouteEndpoints;
import org.apache.camel.CamelContext;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.util.UrlPathHelper;

/**
 * A host with Spring Security: the requests a route of the bridge serves (its webhooks, the trigger, the admin API and
 * page, as Camel registered them) go through this filter chain, first, which lets them on to the bridge's own
 * credential checks (tokens, signatures, the trigger secret, the admin guard) without the host's rules, a session or
 * a CSRF token (a provider posts no CSRF token); every other request, a host's own {@code /webhooks/...} controller
 * included, stays under the host's chains. Offered by the bridge rather than left to each host to write: the matcher
 * must follow the paths the bridge actually serves (switches, BRIDGE_PROVIDERS, route files), which only the bridge
 * knows. A host that wants its own rules on those paths too declares a bean named {@code bridgeSecurityFilterChain}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(SecurityFilterChain.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class BridgeSecurityConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    @ConditionalOnMissingBean(name = "bridgeSecurityFilterChain")
    SecurityFilterChain bridgeSecurityFilterChain(HttpSecurity http, CamelContext camel) throws Exception {
        RouteEndpoints endpoints = new RouteEndpoints(camel);
        UrlPathHelper paths = UrlPathHelper.defaultInstance;
        // a route of the bridge's (bridge-...), not a host's own platform-http route on the same component
        return http.securityMatcher(request -> endpoints.match(paths.getPathWithinApplication(request))
                        .filter(match -> !match.routeByMethod().isEmpty()
                                && match.routeByMethod().values().stream().allMatch(route -> route.startsWith("bridge-")))
                        .isPresent())
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(AbstractHttpConfigurer::disable)
                .headers(AbstractHttpConfigurer::disable)          // the bridge sets its own answers' headers
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }
}
