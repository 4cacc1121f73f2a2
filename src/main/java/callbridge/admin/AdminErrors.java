package callbridge.admin;

import callbridge.ingest.ErrorAnswer;
import callbridge.ingest.UnauthorizedException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** How every {@code /admin} route answers a failure, declared once: JSON {@code {"error"}}, never a stack trace. */
@Component
public class AdminErrors extends RouteConfigurationBuilder {
    public static final String ID = "bridge-admin-errors";
    private static final Logger LOG = LoggerFactory.getLogger(AdminErrors.class);

    @Override
    public void configuration() {
        routeConfiguration(ID)
            .onException(BadAdminRequestException.class).handled(true)
                .process(e -> answer(e, 400, caught(e).getMessage()))
            .end()
            .onException(NotFoundException.class).handled(true)
                .process(e -> answer(e, 404, caught(e).getMessage()))
            .end()
            .onException(AdminGuard.LoopbackOnlyException.class).handled(true)
                .process(e -> unauthorized(e, caught(e).getMessage()))
            .end()
            .onException(AdminGuard.ForbiddenException.class).handled(true)
                .process(e -> answer(e, 403, caught(e).getMessage()))
            .end()
            .onException(UnauthorizedException.class).handled(true)
                .process(e -> unauthorized(e, "missing or invalid admin token"))
            .end()
            .onException(Exception.class).handled(true)
                .process(e -> {
                    LOG.error("Admin request failed on route {}", e.getFromRouteId(), caught(e));
                    answer(e, 500, "internal error");
                })
            .end();
    }

    private static Exception caught(Exchange exchange) {
        return exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }

    private static void unauthorized(Exchange exchange, String message) {
        answer(exchange, 401, message);
        exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"bridge-admin\"");
    }

    private static void answer(Exchange exchange, int status, String message) {
        var out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        AdminAnswers.secure(exchange);
        out.setBody(ErrorAnswer.json(message));
    }
}
