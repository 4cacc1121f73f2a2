package callbridge.outbound;

import callbridge.providers.RouteFilesCheck;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Stops the start with one line ({@link OutboundSettingsException}) when the outbound dial cannot work:
 * {@code OUTBOUND_ANSWER_WAIT} beyond {@link OutboundProperties#MAX_ANSWER_WAIT}; an {@code OUTBOUND_PROVIDER}
 * that is not a plain name, or whose route {@code direct:bridge-dial-<name>} no route file has (checked once the route
 * files are loaded, before anything starts), or whose route does not take the dial's error handling
 * ({@code routeConfigurationId: bridge-dial-errors}); a setting its {@link DialSettings} requires that is unset, or a
 * malformed number map.
 */
@Component
public class OutboundStartCheck implements RouteFilesCheck {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundStartCheck.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final OutboundProperties outbound;
    private final Environment environment;
    private final PhoneNumberIds phoneNumberIds;
    private final String routesDir;
    private final Set<String> contactNumbers;

    public OutboundStartCheck(OutboundProperties outbound, Environment environment, PhoneNumberIds phoneNumberIds,
            @Value("${bridge.routes-dir:}") String routesDir, @Value("${cekura.contact-numbers:}") String contactNumbers) {
        this.outbound = outbound;
        this.environment = environment;
        this.phoneNumberIds = phoneNumberIds;
        this.routesDir = routesDir;
        this.contactNumbers = OutboundTriggers.contactNumbers(contactNumbers);
        Duration wait = outbound.answerWait();
        if (wait.isNegative() || wait.compareTo(OutboundProperties.MAX_ANSWER_WAIT) > 0) {
            throw new OutboundSettingsException("OUTBOUND_ANSWER_WAIT is " + wait.toMillis() + "ms: it must be between 0s and "
                    + OutboundProperties.MAX_ANSWER_WAIT.toSeconds() + "s, since Cekura waits at most 30 s for the trigger's answer");
        }
        String provider = outbound.effectiveProvider();
        if (provider != null && !NAME.matcher(provider).matches()) {
            throw new OutboundSettingsException("OUTBOUND_PROVIDER '" + provider + "' is not a dial route name "
                    + "(lowercase letters, digits and '-'; the route is direct:bridge-dial-<name>)");
        }
    }

    @Override
    public void routeFilesLoaded(CamelContext camel) {
        String provider = outbound.effectiveProvider();
        if (provider == null) {
            return;
        }
        RouteDefinition route = dialRoute(camel, "bridge-dial-" + provider).orElseThrow(() -> new OutboundSettingsException(
                "OUTBOUND_PROVIDER is " + provider + " but no route file (bundled, or in BRIDGE_ROUTES_DIR"
                        + (routesDir.isBlank() ? ", unset" : " " + routesDir) + ") has a route from direct:bridge-dial-" + provider));
        if (!DialErrors.ID.equals(route.getRouteConfigurationId())) {
            throw new OutboundSettingsException("The dial route " + route.getRouteId() + " (from direct:bridge-dial-" + provider
                    + ") needs 'routeConfigurationId: " + DialErrors.ID + "', so that its failures reach the dial's retries");
        }
        for (DialSettings settings : camel.getRegistry().findByType(DialSettings.class)) {
            if (provider.equals(settings.getPlatform())) {
                check(provider, settings);
            }
        }
    }


    private void check(String provider, DialSettings settings) {
        for (String requirement : DialSettings.items(settings.getRequired())) {
            List<String> anyOf = Arrays.stream(requirement.split("\\|")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            if (anyOf.stream().noneMatch(this::isSet)) {
                throw new OutboundSettingsException("OUTBOUND_PROVIDER is " + provider + ": set "
                        + String.join(" or ", anyOf.stream().map(DialSettings::variable).toList()));
            }
        }
        for (String setting : DialSettings.items(settings.getNumberMaps())) {
            if (!isSet(setting)) {
                throw new OutboundSettingsException("OUTBOUND_PROVIDER is " + provider + ": set " + DialSettings.variable(setting)
                        + " (+E164=id,...: the platform's id of each number the calls come from)");
            }
            Map<String, String> ids = phoneNumberIds.map(setting);
            contactNumbers.stream().filter(number -> !ids.containsKey(number)).sorted().forEach(number -> LOG.warn(
                    "CEKURA_CONTACT_NUMBERS has {} but {} has no id for it: its triggers will fail", number, DialSettings.variable(setting)));
        }
        for (String rule : DialSettings.items(settings.getAllowed())) {
            int equals = rule.indexOf('=');
            String setting = rule.substring(0, Math.max(0, equals)).trim();
            List<String> values = Arrays.stream(rule.substring(equals + 1).split("\\|")).map(String::trim).toList();
            String value = environment.getProperty(setting);
            if (equals > 0 && isSet(setting) && !values.contains(value.trim())) {
                throw new OutboundSettingsException(DialSettings.variable(setting) + " is '" + value.trim() + "': it must be one of "
                        + String.join(", ", values));
            }
        }
    }

    private boolean isSet(String property) {
        String value = environment.getProperty(property);
        return value != null && !value.isBlank();
    }

    private static Optional<RouteDefinition> dialRoute(CamelContext camel, String name) {
        if (!(camel instanceof ModelCamelContext model)) {
            return Optional.empty();
        }
        return model.getRouteDefinitions().stream()
                .filter(route -> route.getInput() != null && name.equals(directName(route.getInput().getEndpointUri())))
                .findFirst();
    }

    /** {@code direct:bridge-dial-x}, {@code direct://dial-x?opts} → {@code dial-x}; anything else → null. */
    static String directName(String uri) {
        if (uri == null || !uri.startsWith("direct:")) {
            return null;
        }
        String name = uri.substring("direct:".length());
        if (name.startsWith("//")) {
            name = name.substring(2);
        }
        int query = name.indexOf('?');
        return query < 0 ? name : name.substring(0, query);
    }
}
