package callbridge.admin;

import callbridge.ingest.Credentials;
import callbridge.ingest.UnauthorizedException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Who may use {@code /admin/**}. With {@code BRIDGE_ADMIN_TOKEN} set, the data needs
 * {@code Authorization: Bearer <token>} and the page (which holds no data) is served to anyone. Without it,
 * page and data answer only a client on the loopback address that did not come through a proxy
 * (a request carrying {@code Forwarded}, {@code X-Forwarded-For} or {@code X-Real-IP} did); anyone else gets 401.
 */
@Component("bridgeAdminGuard")
public class AdminGuard {
    private static final List<String> PROXY_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final String token;

    public AdminGuard(@Value("${bridge.admin-token:}") String token) {
        this.token = token.trim();
    }

    /** The admin API: the bearer token when one is set, else a loopback client. */
    public void authorize(Exchange exchange) {
        AdminAnswers.remember(exchange);
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeader("Authorization");
        if (token.isEmpty()) {
            requireLoopback(exchange);
            return;
        }
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (!Credentials.matches(presented, token)) {
            throw new UnauthorizedException();
        }
    }

    /** The page and its files: anyone when a token guards the data, else a loopback client. */
    public void authorizePage(Exchange exchange) {
        AdminAnswers.remember(exchange);
        exchange.getMessage().removeHeader("Authorization");
        if (token.isEmpty()) {
            requireLoopback(exchange);
        }
    }

    private static void requireLoopback(Exchange exchange) {
        HttpServletRequest request = exchange.getIn() instanceof PlatformHttpMessage http ? http.getRequest() : null;
        if (request == null || !isLoopback(request.getRemoteAddr())
                || PROXY_HEADERS.stream().anyMatch(name -> request.getHeader(name) != null)) {
            throw new LoopbackOnlyException();
        }
    }

    /** An IP literal of the loopback network: 127.0.0.0/8 (also IPv4-mapped) or ::1. Host names are not. */
    static boolean isLoopback(String address) {
        if (address == null) {
            return false;
        }
        String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        String lower = literal.toLowerCase();
        for (String mapped : List.of("::ffff:", "0:0:0:0:0:ffff:")) {
            if (lower.startsWith(mapped)) {
                lower = lower.substring(mapped.length());
            }
        }
        if (IPV4.matcher(lower).matches()) {
            return lower.startsWith("127.");
        }
        return lower.equals("::1") || lower.equals("0:0:0:0:0:0:0:1");
    }

    /** No admin token is set and the client is not on the loopback address: 401 naming the variable. */
    public static class LoopbackOnlyException extends RuntimeException {
        LoopbackOnlyException() {
            super("BRIDGE_ADMIN_TOKEN is not set: /admin answers only clients on the loopback address");
        }
    }
}
