package callbridge.outbound;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * The error handling of every dial route file ({@code routeConfigurationId: bridge-dial-errors}): none of its own, so a
 * failed platform call reaches the calling {@code outbound-dial} route, whose error handler classifies it, retries
 * it inside the dial window, or gives the trigger up.
 */
@Component
public class DialErrors extends RouteConfigurationBuilder {
    public static final String ID = "bridge-dial-errors";

    @Override
    public void configuration() {
        routeConfiguration(ID).errorHandler(noErrorHandler());
    }
}
