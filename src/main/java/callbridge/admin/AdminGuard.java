package callbridge.admin;

import callbridge.ingest.Credentials;
import callbridge.ingest.UnauthorizedException;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** {@code /admin/**} requires {@code Authorization: Bearer BRIDGE_ADMIN_TOKEN} when that is set. */
@Component("adminGuard")
public class AdminGuard {
    private final String token;

    public AdminGuard(@Value("${bridge.admin-token:}") String token) {
        this.token = token;
    }

    public void authorize(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeader("Authorization");
        if (token.isEmpty()) {
            return;
        }
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (!Credentials.matches(presented, token)) {
            throw new UnauthorizedException();
        }
    }
}
