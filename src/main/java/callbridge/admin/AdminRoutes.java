package callbridge.admin;

import callbridge.ingest.ErrorAnswer;
import callbridge.ingest.UnauthorizedException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** The ops endpoints under {@code /admin}. */
@Component
public class AdminRoutes extends RouteBuilder {

    @Override
    public void configure() {
        onException(NotFoundException.class).handled(true)
            .process(e -> error(e, 404, e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()));
        onException(UnauthorizedException.class).handled(true)
            .process(e -> error(e, 401, "missing or invalid admin token"));

        from("platform-http:/admin/calls/{provider}/{callId}?httpMethodRestrict=GET")
            .routeId("admin-call")
            .description("One call: state, events, delivery attempts, payload")
            .bean("adminGuard", "authorize")
            .setBody(method("callAdminView", "call"))
            .removeHeaders("*")
            .marshal().json()
            .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("platform-http:/admin/dead-letters?httpMethodRestrict=GET")
            .routeId("admin-dead-letters")
            .description("Calls given up on, waiting for a replay (or being replayed)")
            .bean("adminGuard", "authorize")
            .setBody(method("deadLetters", "list"))
            .removeHeaders("*")
            .marshal().json()
            .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("platform-http:/admin/dead-letters/replay?httpMethodRestrict=POST")
            .routeId("admin-dead-letters-replay-all")
            .description("Re-delivers every waiting dead letter with a fresh window")
            .bean("adminGuard", "authorize")
            .setBody(method("deadLetters", "replayAll"))
            .removeHeaders("*")
            .marshal().json()
            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
            .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("platform-http:/admin/dead-letters/{id}/replay?httpMethodRestrict=POST")
            .routeId("admin-dead-letter-replay")
            .description("Re-delivers one dead letter with a fresh window")
            .bean("adminGuard", "authorize")
            .setBody(method("deadLetters", "replay"))
            .removeHeaders("*")
            .marshal().json()
            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
            .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
    }

    private static void error(Exchange exchange, int status, String message) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(ErrorAnswer.json(message));
    }
}
