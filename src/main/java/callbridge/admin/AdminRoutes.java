package callbridge.admin;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The ops endpoints under {@code /admin}: the page, and the JSON it (or curl) reads. Every route passes
 * {@code adminGuard} first; failures are answered by {@link AdminErrors}.
 */
@Component
public class AdminRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("platform-http:/admin?httpMethodRestrict=GET")
            .routeId("admin-page-redirect").routeConfigurationId(AdminErrors.ID)
            .description("/admin without its slash goes to the ops page")
            .bean("adminGuard", "authorizePage")
            .bean("adminPage", "redirect");

        from("platform-http:/admin/?httpMethodRestrict=GET")
            .routeId("admin-page").routeConfigurationId(AdminErrors.ID)
            .description("The ops page, served from the jar")
            .bean("adminGuard", "authorizePage")
            .bean("adminPage", "index");

        from("platform-http:/admin/assets/{asset}?httpMethodRestrict=GET")
            .routeId("admin-page-assets").routeConfigurationId(AdminErrors.ID)
            .description("The ops page's script, style sheet and icon")
            .bean("adminGuard", "authorizePage")
            .bean("adminPage", "asset");

        from("platform-http:/admin/summary?httpMethodRestrict=GET")
            .routeId("admin-summary").routeConfigurationId(AdminErrors.ID)
            .description("Calls by state, dead letters and outbound triggers by status")
            .bean("adminGuard", "authorize")
            .setBody(method("adminSummary", "summary"))
            .to("direct:admin-json");

        from("platform-http:/admin/calls?httpMethodRestrict=GET")
            .routeId("admin-calls").routeConfigurationId(AdminErrors.ID)
            .description("Recent calls, newest first, by state and provider")
            .bean("adminGuard", "authorize")
            .setBody(method("recentCalls", "list"))
            .to("direct:admin-json");

        from("platform-http:/admin/calls/{provider}/{callId}?httpMethodRestrict=GET")
            .routeId("admin-call").routeConfigurationId(AdminErrors.ID)
            .description("One call: state, a page of its events, delivery attempts, payload")
            .bean("adminGuard", "authorize")
            .setBody(method("callAdminView", "call"))
            .to("direct:admin-json");

        from("platform-http:/admin/calls/{provider}/{callId}/events/{eventId}?httpMethodRestrict=GET")
            .routeId("admin-call-event").routeConfigurationId(AdminErrors.ID)
            .description("One event's body exactly as the provider sent it")
            .bean("adminGuard", "authorize")
            .setBody(method("callAdminView", "rawEvent"))
            .setProperty("rawContentType", method("callAdminView", "rawContentType"))
            .removeHeaders("*")
            .setHeader(Exchange.CONTENT_TYPE, exchangeProperty("rawContentType"))
            .process(AdminAnswers::secure);

        from("platform-http:/admin/dead-letters?httpMethodRestrict=GET")
            .routeId("admin-dead-letters").routeConfigurationId(AdminErrors.ID)
            .description("Calls given up on, waiting for a replay (or being replayed)")
            .bean("adminGuard", "authorize")
            .setBody(method("deadLetters", "list"))
            .to("direct:admin-json");

        from("platform-http:/admin/dead-letters/replay?httpMethodRestrict=POST")
            .routeId("admin-dead-letters-replay-all").routeConfigurationId(AdminErrors.ID)
            .description("Re-delivers every waiting dead letter with a fresh window")
            .bean("adminGuard", "authorize")
            .setBody(method("deadLetters", "replayAll"))
            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
            .to("direct:admin-json");

        from("platform-http:/admin/dead-letters/{id}/replay?httpMethodRestrict=POST")
            .routeId("admin-dead-letter-replay").routeConfigurationId(AdminErrors.ID)
            .description("Re-delivers one dead letter with a fresh window")
            .bean("adminGuard", "authorize")
            .setBody(method("deadLetters", "replay"))
            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
            .to("direct:admin-json");

        from("platform-http:/admin/outbound-triggers?httpMethodRestrict=GET")
            .routeId("admin-outbound-triggers").routeConfigurationId(AdminErrors.ID)
            .description("Outbound triggers, newest first, by status")
            .bean("adminGuard", "authorize")
            .setBody(method("recentTriggers", "list"))
            .to("direct:admin-json");

        from("platform-http:/admin/outbound-triggers/{id}?httpMethodRestrict=GET")
            .routeId("admin-outbound-trigger").routeConfigurationId(AdminErrors.ID)
            .description("One trigger: status, attempts, the provider's call id")
            .bean("adminGuard", "authorize")
            .setBody(method("outboundTriggers", "view"))
            .to("direct:admin-json");

        from("direct:admin-json")
            .routeId("admin-json")
            .description("Writes an admin answer: JSON, not cached, never sniffed as a page")
            .removeHeaders("*", Exchange.HTTP_RESPONSE_CODE)
            .marshal().json()
            .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
            .process(AdminAnswers::secure);
    }
}
