package callbridge.providers;

import callbridge.ingest.WebhookGuard;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The route every declared provider is: {@code templatedRoute} of {@code bridge-provider-webhook} in a route file.
 * Credential check (a {@code WebhookCheck} bean, or none: the token of {@code direct:bridge-webhook-accept}), raw
 * bytes kept and the JSON parsed, the declaration's mapping ({@link ProviderDeclaration}), the canonical event,
 * then stored and answered by {@code direct:bridge-ingest-event}.
 *
 * <pre>
 * - templatedRoute:
 *     routeTemplateRef: bridge-provider-webhook
 *     routeId: bridge-ingest-acme-webhook          # route metrics and the ops page know it by this id
 *     parameters:
 *       - { name: provider, value: acme }
 *       - { name: path, value: /hooks/acme }       # optional: else BRIDGE_WEBHOOKS_BASE_PATH/acme (/webhooks/acme)
 *       - { name: declaration, value: acme }       # the ProviderDeclaration bean
 *       - { name: check, value: acmeSignature }    # optional: a WebhookCheck bean
 * </pre>
 * {@code accept} (optional) is {@code direct:bridge-webhook-accept} or {@code direct:bridge-signed-webhook-accept}
 * (Standard Webhooks).
 */
@Component
public class ProviderWebhookTemplate extends RouteBuilder {
    public static final String TEMPLATE = "bridge-provider-webhook";
    /** The default credential step: nothing of its own (the token is checked by the accept step). */
    public static final String NO_CHECK = "bridgeNoWebhookCheck";

    @Override
    public void configure() {
        getContext().getRegistry().bind(NO_CHECK, (org.apache.camel.Processor) exchange -> { });
        routeTemplate(TEMPLATE)
            .templateParameter("provider")
            // BRIDGE_WEBHOOKS_BASE_PATH + the provider's name, unless the file gives a path of its own
            .templateParameter("path", "{{bridge.webhooks.base-path:/webhooks}}/{{provider}}")
            .templateParameter("declaration")
            .templateParameter("check", NO_CHECK)
            .templateParameter("accept", "direct:bridge-webhook-accept")
            .from("platform-http:{{path}}?httpMethodRestrict=POST&useStreaming=true")
                .routeConfigurationId("bridge-webhook-errors")
                .description("{{provider}} webhooks into the canonical call-event model (declared)")
                .setProperty(WebhookGuard.PROVIDER, constant("{{provider}}"))
                .process("{{check}}")                       // 401 unless the credential is right
                .to("{{accept}}")                           // raw bytes kept, body parsed
                .process("{{declaration}}")                 // the declaration's fields -> properties
                .process("bridgeCanonicalEvent")            // properties -> canonical CallEvent
                .to("direct:bridge-ingest-event");          // stored durably, deduplicated, answered
    }
}
