package callbridge.web;

import callbridge.delivery.CekuraProperties;
import callbridge.ingest.WebhookCheck;
import callbridge.outbound.TriggerEnabled;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * Says at start what runs unprotected, in dry run or starved of connections, without printing any secret.
 *
 * <p>In a host application too: what it warns about is the bridge's own (its routes, its admin API, its trigger
 * endpoint), each only when that feature runs.
 */
public class StartupWarnings {
    private static final Logger LOG = LoggerFactory.getLogger(StartupWarnings.class);
    /**
     * Completion workers (up to 8), the journal's applier and the shared flush hold connections beside each webhook's
     * dedupe read; measured at 4 under load, webhooks waited past the connection timeout (bench/RESULTS.md).
     */
    static final int MIN_POOL_SIZE = 10;

    private final CamelContext camel;
    private final Environment environment;
    private final CekuraProperties cekura;

    public StartupWarnings(CamelContext camel, Environment environment, CekuraProperties cekura) {
        this.camel = camel;
        this.environment = environment;
        this.cekura = cekura;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void warn() {
        String webhookPrefix = environment.getProperty("bridge.webhooks.base-path", "/webhooks").replaceFirst("/?$", "/");
        String triggerPath = environment.getProperty("bridge.trigger.path", "/cekura/outbound-trigger");
        for (Route route : camel.getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            int at = uri.indexOf(webhookPrefix);
            if (uri.startsWith("platform-http:") && at >= 0) {
                String provider = uri.substring(at + webhookPrefix.length()).replaceAll("[?/].*", "");
                List<WebhookCheck> checks = WebhookCheck.usedBy(camel, route.getRouteId());
                if (!checks.isEmpty()) {
                    // the route declares its own credential (a signature, a shared secret): say which is off
                    for (WebhookCheck check : checks.stream().filter(WebhookCheck::isOpen).toList()) {
                        LOG.warn("{} is not set: POST {}{} accepts events from anyone (webhook check '{}', {}, is off). "
                                + "Set it to the secret of the provider's webhook settings",
                                check.getSecretVariable() != null ? check.getSecretVariable() : "The secret of webhook check '" + check.name() + "'",
                                webhookPrefix, provider, check.name(), check.describe());
                    }
                } else if ("generic".equals(provider)) {
                    if (isBlank(environment.getProperty("generic.webhook-secret"))) {
                        LOG.warn("GENERIC_WEBHOOK_SECRET is not set: POST {}generic accepts unsigned events from anyone. "
                                + "Set it to the whsec_<base64> secret the platform signs with", webhookPrefix);
                    }
                } else if (isBlank(environment.getProperty(provider + ".webhook-token"))
                        && isBlank(environment.getProperty(provider + ".webhook-secret"))) {
                    LOG.warn("{}_WEBHOOK_TOKEN is not set: POST {}{} accepts events from anyone. Set it, and the same token in the "
                            + "provider's webhook settings (header X-Webhook-Token or ?token=)",
                            provider.toUpperCase().replace('-', '_'), webhookPrefix, provider);
                }
            }
        }
        boolean adminRuns = !"false".equalsIgnoreCase(environment.getProperty("bridge.admin.enabled", "true").trim());
        boolean triggerRuns = TriggerEnabled.in(environment);
        if (adminRuns && isBlank(environment.getProperty("bridge.admin-token"))) {
            LOG.warn("BRIDGE_ADMIN_TOKEN is not set: /admin/** (the ops page and its API) answers only clients on the loopback "
                    + "address; anyone else gets 401. Set it to open them to others holding that token");
        }
        if (triggerRuns && isBlank(environment.getProperty("cekura.trigger-secret")) && isBlank(environment.getProperty("cekura.trigger-token"))) {
            LOG.warn("CEKURA_TRIGGER_SECRET is not set: POST {} accepts triggers from anyone. "
                    + "Set it to the trigger secret of Cekura's agent settings", triggerPath);
        }
        if (triggerRuns && isBlank(environment.getProperty("outbound.provider")) && isBlank(environment.getProperty("outbound.dial-url"))) {
            LOG.warn("OUTBOUND_PROVIDER (or OUTBOUND_DIAL_URL) is not set: outbound triggers are stored and marked failed, not dialed. "
                    + "Set OUTBOUND_PROVIDER (vapi, retell, elevenlabs, bland, or http with OUTBOUND_DIAL_URL) and that platform's settings");
        }
        if (triggerRuns && "bland".equalsIgnoreCase(environment.getProperty("outbound.provider"))
                && isBlank(environment.getProperty("bland.webhook-url"))) {
            LOG.warn("BLAND_WEBHOOK_URL is not set: calls dialed through Bland send their post-call webhook wherever Bland's "
                    + "dashboard says, perhaps never to the bridge, and then never reach Cekura. "
                    + "Set it to the bridge's public https://<bridge>/webhooks/bland");
        }
        Integer poolSize = environment.getProperty("spring.datasource.hikari.maximum-pool-size", Integer.class);
        if (poolSize != null && poolSize < MIN_POOL_SIZE) {
            LOG.warn("SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE is {}, below {}: completion, the journal and the flush "
                    + "share the pool with the webhooks, which may wait past the connection timeout under load (503). Set it to {} or more",
                    poolSize, MIN_POOL_SIZE, MIN_POOL_SIZE);
        }
        if (cekura.dryRun()) {
            LOG.warn("CEKURA_WEBHOOK_URL is not set: dry run, calls are assembled and recorded but not sent. "
                    + "Set CEKURA_WEBHOOK_URL, CEKURA_API_KEY and CEKURA_AGENT_ID to send them");
        } else if (cekura.agentId() == null) {
            LOG.warn("CEKURA_AGENT_ID is not set: calls go out without agent_id, which Cekura takes only for calls that carry "
                    + "a run_id. Set it to the agent's id in Cekura");
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
