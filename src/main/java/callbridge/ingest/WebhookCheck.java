package callbridge.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A provider's credential check, declared in a route file's {@code - beans:} block and used as the route's first
 * step ({@code - process: { ref: <bean> }}), before {@code direct:bridge-webhook-accept}. It reads the raw bytes (kept
 * in {@link WebhookGuard#RAW_BODY} for the steps after it), answers 401 through {@link UnauthorizedException},
 * and removes its header from the message so that the credential goes no further.
 *
 * <p>The secret comes from a placeholder, e.g. {@code secret: "{{retell.api-key:}}"}; unset or blank, the check
 * lets everything through and the start says so ({@code callbridge.web.StartupWarnings}), naming
 * {@code secretVariable} when the declaration gives it. The whole declaration is checked when the route starts: a
 * malformed one stops the start with a {@link InvalidWebhookCheckException} naming the bean.
 */
public abstract class WebhookCheck extends ServiceSupport implements Processor, CamelContextAware {
    private CamelContext camelContext;
    private String header;
    private String secret;
    private String secretVariable;
    private volatile String beanName;

    @Override
    public final void process(Exchange exchange) {
        byte[] raw = rawBody(exchange);
        String presented = RequestCredentials.header(exchange, header);   // the request's header, never a query parameter
        exchange.getMessage().removeHeader(header);   // never carried further: not into the store, not into logs
        if (!isOpen()) {
            verify(exchange, presented, raw);
        }
    }

    /**
     * Before the body is read ({@link EarlyCredentialCheck}): false when {@code presented} (the header, maybe null)
     * cannot pass whatever the body. A check open for want of a secret lets everything through.
     */
    public final boolean mayPass(String presented) {
        return isOpen() || (presented != null && !presented.isBlank() && headerMayPass(presented));
    }

    /** Whether a present header may pass; a check that needs the body to tell answers true (the default). */
    protected boolean headerMayPass(String presented) {
        return true;
    }

    /** Throws {@link UnauthorizedException} unless {@code presented} (the header, maybe null) is right for {@code raw}. */
    protected abstract void verify(Exchange exchange, String presented, byte[] raw);

    /** What the check is, for start warnings and errors, never with a secret: e.g. {@code HMAC-SHA256 of x-retell-signature}. */
    public abstract String describe();

    /** Checks the rest of the declaration; a problem is a {@link InvalidWebhookCheckException} via {@link #invalid}. */
    protected abstract void validate();

    @Override
    protected void doInit() {
        if (header == null || header.isBlank()) {
            throw invalid("'header' is required: the request header that carries the credential");
        }
        header = header.trim();
        validate();
    }

    /** A declaration problem, naming the bean (as the route file declares it) and the file. */
    protected InvalidWebhookCheckException invalid(String problem) {
        String file = declaredIn();
        return new InvalidWebhookCheckException("Webhook check '" + name() + "' (" + getClass().getSimpleName()
                + (file != null ? " in " + file : "") + "): " + problem);
    }

    /** The route file whose {@code beans:} declare this check, when Camel knows it. */
    private String declaredIn() {
        Model model = camelContext == null ? null : camelContext.getCamelContextExtension().getContextPlugin(Model.class);
        if (model == null) {
            return null;
        }
        String name = name();
        return model.getCustomBeans().stream()
                .filter(bean -> name.equals(bean.getName()) && bean.getResource() != null)
                .map(bean -> bean.getResource().getLocation())
                .findFirst().orElse(null);
    }

    /** The bean's name in the Camel registry (the {@code name:} of its declaration), else its header. */
    public String name() {
        if (beanName == null && camelContext != null) {
            for (Map.Entry<String, ? extends WebhookCheck> bean : camelContext.getRegistry().findByTypeWithName(getClass()).entrySet()) {
                if (bean.getValue() == this) {
                    beanName = bean.getKey();
                }
            }
        }
        return beanName != null ? beanName : "on header " + header;
    }

    /** True when no secret is set: everything is let through. */
    public boolean isOpen() {
        return secret == null || secret.isBlank();
    }

    protected final String secret() {
        return secret;
    }

    /** The checks a route's steps use ({@code process: { ref: <check> }}), as its model says; none for a Java route. */
    public static List<WebhookCheck> usedBy(CamelContext camel, String routeId) {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition route = model == null ? null : model.getRouteDefinition(routeId);
        List<WebhookCheck> checks = new ArrayList<>();
        if (route != null) {
            Map<String, Object> parameters = route.getTemplateParameters() == null ? Map.of() : route.getTemplateParameters();
            collect(camel, route.getOutputs(), parameters, checks);
        }
        return checks;
    }

    /** {@code parameters}: a templated route's ({@code process: { ref: "{{check}}" }} names its parameter). */
    private static void collect(CamelContext camel, List<ProcessorDefinition<?>> steps, Map<String, Object> parameters,
            List<WebhookCheck> checks) {
        for (ProcessorDefinition<?> step : steps) {
            String ref = step instanceof ProcessDefinition process ? process.getRef() : null;
            if (ref != null && ref.startsWith("{{") && ref.endsWith("}}") && parameters.get(ref.substring(2, ref.length() - 2)) != null) {
                ref = String.valueOf(parameters.get(ref.substring(2, ref.length() - 2)));
            }
            if (ref != null && ref.contains("{{")) {
                ref = camel.resolvePropertyPlaceholders(ref);   // a check chosen by a setting: "vapi-{{vapi.webhook-auth:secret}}"
            }
            if (ref != null && camel.getRegistry().lookupByName(ref) instanceof WebhookCheck check) {
                checks.add(check);
            }
            collect(camel, step.getOutputs(), parameters, checks);
        }
    }

    static byte[] rawBody(Exchange exchange) {
        byte[] raw = exchange.getProperty(WebhookGuard.RAW_BODY, byte[].class);
        if (raw == null) {
            raw = exchange.getMessage().getBody(byte[].class);
            raw = raw == null ? new byte[0] : raw;
            exchange.setProperty(WebhookGuard.RAW_BODY, raw);
        }
        return raw;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public String getHeader() {
        return header;
    }

    /** The request header that carries the credential (case does not matter). */
    public void setHeader(String header) {
        this.header = header;
    }

    /** The shared secret or signing key, from a placeholder ({@code "{{retell.api-key:}}"}); blank: open. */
    public void setSecret(String secret) {
        this.secret = secret;
    }

    public String getSecretVariable() {
        return secretVariable;
    }

    /** The variable that sets the secret (e.g. {@code RETELL_API_KEY}), for the start warning only. */
    public void setSecretVariable(String secretVariable) {
        this.secretVariable = secretVariable;
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return describe();
    }
}
