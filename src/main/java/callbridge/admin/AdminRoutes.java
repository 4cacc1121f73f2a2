package callbridge.admin;

import callbridge.BridgeJson;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The ops endpoints under {@code /admin}: the page, and the JSON it (or curl) reads. Every route passes
 * {@code adminGuard} first; failures are answered by {@link AdminErrors}.
 */
@Component
public class AdminRoutes extends RouteBuilder {
    /** Where the page and the API answer: {@code BRIDGE_ADMIN_BASE_PATH}. */
    static final String BASE = "{{bridge.admin.base-path:/admin}}";

    private final BridgeJson json;
    /** The bridge's {@link AdminGuard}, or the host's own bean of that type. */
    private final AdminGuard guard;

    public AdminRoutes(BridgeJson json, AdminGuard guard) {
        this.json = json;
        this.guard = guard;
    }

    @Override
    public void configure() {
        from("platform-http:" + BASE + "?httpMethodRestrict=GET")
            .routeId("bridge-admin-page-redirect").routeConfigurationId(AdminErrors.ID)
            .description("/admin without its slash goes to the ops page")
            .bean(guard, "authorizePage")
            .bean("bridgeAdminPage", "redirect");

        from("platform-http:" + BASE + "/?httpMethodRestrict=GET")
            .routeId("bridge-admin-page").routeConfigurationId(AdminErrors.ID)
            .description("The ops page, served from the jar")
            .bean(guard, "authorizePage")
            .bean("bridgeAdminPage", "index");

        from("platform-http:" + BASE + "/assets/{asset}?httpMethodRestrict=GET")
            .routeId("bridge-admin-page-assets").routeConfigurationId(AdminErrors.ID)
            .description("The ops page's script, style sheet and icon")
            .bean(guard, "authorizePage")
            .bean("bridgeAdminPage", "asset");

        from("platform-http:" + BASE + "/summary?httpMethodRestrict=GET")
            .routeId("bridge-admin-summary").routeConfigurationId(AdminErrors.ID)
            .description("Calls by state, dead letters and outbound triggers by status")
            .bean(guard, "authorize")
            .setBody(method("bridgeAdminSummary", "summary"))
            .to("direct:bridge-admin-json");

        from("platform-http:" + BASE + "/calls?httpMethodRestrict=GET")
            .routeId("bridge-admin-calls").routeConfigurationId(AdminErrors.ID)
            .description("Recent calls, newest first, by state and provider")
            .bean(guard, "authorize")
            .setBody(method("bridgeRecentCalls", "list"))
            .to("direct:bridge-admin-json");

        from("platform-http:" + BASE + "/calls/{provider}/{callId}?httpMethodRestrict=GET")
            .routeId("bridge-admin-call").routeConfigurationId(AdminErrors.ID)
            .description("One call: state, a page of its events, delivery attempts, payload")
            .bean(guard, "authorize")
            .setBody(method("bridgeCallAdminView", "call"))
            .to("direct:bridge-admin-json");

        from("platform-http:" + BASE + "/call?httpMethodRestrict=GET")
            .routeId("bridge-admin-call-by-query").routeConfigurationId(AdminErrors.ID)
            .description("One call named in the query (?provider=&id=): any call id, one with a / too")
            .bean(guard, "authorize")
            .setBody(method("bridgeCallAdminView", "callByQuery"))
            .to("direct:bridge-admin-json");

        from("platform-http:" + BASE + "/call/events/{eventId}?httpMethodRestrict=GET")
            .routeId("bridge-admin-call-event-by-query").routeConfigurationId(AdminErrors.ID)
            .description("One event's raw body, its call named in the query (?provider=&id=)")
            .bean(guard, "authorize")
            .setBody(method("bridgeCallAdminView", "rawEventByQuery"))
            .setProperty("rawContentType", method("bridgeCallAdminView", "rawContentType"))
            .removeHeaders("*")
            .setHeader(Exchange.CONTENT_TYPE, exchangeProperty("rawContentType"))
            .process(AdminAnswers::secure);

        from("platform-http:" + BASE + "/calls/{provider}/{callId}/events/{eventId}?httpMethodRestrict=GET")
            .routeId("bridge-admin-call-event").routeConfigurationId(AdminErrors.ID)
            .description("One event's body exactly as the provider sent it")
            .bean(guard, "authorize")
            .setBody(method("bridgeCallAdminView", "rawEvent"))
            .setProperty("rawContentType", method("bridgeCallAdminView", "rawContentType"))
            .removeHeaders("*")
            .setHeader(Exchange.CONTENT_TYPE, exchangeProperty("rawContentType"))
            .process(AdminAnswers::secure);

        from("platform-http:" + BASE + "/dead-letters?httpMethodRestrict=GET")
            .routeId("bridge-admin-dead-letters").routeConfigurationId(AdminErrors.ID)
            .description("Calls given up on, waiting for a replay (or being replayed)")
            .bean(guard, "authorize")
            .setBody(method("bridgeDeadLetters", "list"))
            .to("direct:bridge-admin-json");

        from("platform-http:" + BASE + "/dead-letters/replay?httpMethodRestrict=POST")
            .routeId("bridge-admin-dead-letters-replay-all").routeConfigurationId(AdminErrors.ID)
            .description("Re-delivers every waiting dead letter with a fresh window")
            .bean(guard, "authorize")
            .setBody(method("bridgeDeadLetters", "replayAll"))
            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
            .to("direct:bridge-admin-json");

        from("platform-http:" + BASE + "/dead-letters/{id}/replay?httpMethodRestrict=POST")
            .routeId("bridge-admin-dead-letter-replay").routeConfigurationId(AdminErrors.ID)
            .description("Re-delivers one dead letter with a fresh window")
            .bean(guard, "authorize")
            .setBody(method("bridgeDeadLetters", "replay"))
            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
            .to("direct:bridge-admin-json");

        from("platform-http:" + BASE + "/outbound-triggers?httpMethodRestrict=GET")
            .routeId("bridge-admin-outbound-triggers").routeConfigurationId(AdminErrors.ID)
            .description("Outbound triggers, newest first, by status")
            .bean(guard, "authorize")
            .setBody(method("bridgeRecentTriggers", "list"))
            .to("direct:bridge-admin-json");

        from("platform-http:" + BASE + "/outbound-triggers/{id}?httpMethodRestrict=GET")
            .routeId("bridge-admin-outbound-trigger").routeConfigurationId(AdminErrors.ID)
            .description("One trigger: status, attempts, the provider's call id")
            .bean(guard, "authorize")
            .setBody(method("bridgeOutboundTriggers", "view"))
            .to("direct:bridge-admin-json");

        from("direct:bridge-admin-json")
            .routeId("bridge-admin-json")
            .description("Writes an admin answer: JSON, not cached, never sniffed as a page")
            .removeHeaders("*", Exchange.HTTP_RESPONSE_CODE)
            .marshal(json.answerFormat())                 // the bridge's mapper, whatever the application's Jackson settings
            .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
            .process(AdminAnswers::secure);
    }
}
