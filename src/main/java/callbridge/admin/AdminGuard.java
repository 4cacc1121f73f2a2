package callbridge.admin;

import callbridge.ingest.Credentials;
import callbridge.ingest.RequestCredentials;
import callbridge.ingest.UnauthorizedException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.stereotype.Component;

/**
 * Who may use {@code /admin/**}. With {@code BRIDGE_ADMIN_TOKEN} set, the data needs
 * {@code Authorization: Bearer <token>} (the request's own header, never a query parameter) and the page (which
 * holds no data) is served to anyone. Without it, page and data answer only:
 * <ul>
 * <li>a client on the loopback address that did not come through a proxy (a request carrying {@code Forwarded},
 * {@code X-Forwarded-For} or {@code X-Real-IP} did); anyone else gets 401;</li>
 * <li>naming a loopback {@code Host} ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}, any port): a page of
 * another site whose name was rebound to 127.0.0.1 (DNS rebinding) names its own host; else 403;</li>
 * <li>not sent by another site's page: an {@code Origin} other than the request's own (scheme, loopback host and port),
 * or {@code Sec-Fetch-Site: cross-site / same-site}, is 403, whatever the method (a GET would read data, a form
 * POST would replay dead letters). The ops page's own requests are same-origin; curl sends neither header.</li>
 * </ul>
 * A host replaces it with a bean of its own of this type (a subclass overriding {@link #authorize} and
 * {@link #authorizePage}); the admin routes then call that one.
 *
 * <p>None of this can tell a proxy on the same host that adds no forwarding header (nginx's bare {@code proxy_pass},
 * HAProxy's default, {@code ssh -L}) from a local client: behind any proxy, set the token (docs/security.md).
 */
@Component("bridgeAdminGuard")
@ConditionalOnMissingBean(AdminGuard.class)   // a host's own guard replaces it
public class AdminGuard {
    private static final List<String> PROXY_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** A Host header: a name or IPv4 literal, or a bracketed IPv6 literal, then maybe a port. */
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^\\[\\]:/@]+)(?::(\\d{1,5}))?");

    private final String token;

    public AdminGuard(@Value("${bridge.admin-token:}") String token) {
        this.token = token.trim();
    }

    /** The admin API: the bearer token when one is set, else a loopback client. */
    public void authorize(Exchange exchange) {
        AdminAnswers.remember(exchange);
        String header = RequestCredentials.header(exchange, "Authorization");
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
        HttpServletRequest request = RequestCredentials.request(exchange);
        if (request == null || !isLoopback(request.getRemoteAddr())
                || PROXY_HEADERS.stream().anyMatch(name -> request.getHeader(name) != null)) {
            throw new LoopbackOnlyException();
        }
        String host = request.getHeader("Host");
        if (!isLoopbackHost(host)) {
            throw new ForbiddenException("BRIDGE_ADMIN_TOKEN is not set: /admin answers only requests to a loopback "
                    + "host name (localhost, 127.0.0.1, [::1]); behind a proxy, set BRIDGE_ADMIN_TOKEN");
        }
        if (isCrossSite(request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site"), request.getScheme(), host)) {
            throw new ForbiddenException("BRIDGE_ADMIN_TOKEN is not set: /admin refuses requests sent by another site's page");
        }
    }

    /** {@code localhost}, a 127.0.0.0/8 literal or {@code [::1]}, each maybe with a port; nothing else (no other name). */
    static boolean isLoopbackHost(String host) {
        if (host == null) {
            return false;
        }
        Matcher parts = HOST.matcher(host.trim());
        if (!parts.matches() || parts.group(2) != null && Integer.parseInt(parts.group(2)) > 65535) {
            return false;
        }
        String name = parts.group(1);
        if (name.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (name.startsWith("[")) {
            return isLoopback(name);
        }
        return IPV4.matcher(name).matches() && isLoopback(name);
    }

    /**
     * Sent by another site's page: {@code Sec-Fetch-Site} says so, or the {@code Origin} (any, {@code null} too) is
     * not this request's own origin ({@code scheme://host[:port]} as the {@code Host} header names it).
     */
    static boolean isCrossSite(String origin, String fetchSite, String scheme, String host) {
        if (fetchSite != null) {
            String site = fetchSite.trim().toLowerCase(Locale.ROOT);
            if (site.equals("cross-site") || site.equals("same-site")) {
                return true;
            }
        }
        if (origin == null) {
            return false;
        }
        URI parsed;
        try {
            parsed = new URI(origin.trim());
        } catch (URISyntaxException notAnOrigin) {
            return true;
        }
        if (parsed.getScheme() == null || parsed.getRawAuthority() == null || !parsed.getScheme().equalsIgnoreCase(scheme)
                || parsed.getRawPath() != null && !parsed.getRawPath().isEmpty()) {
            return true;
        }
        return !authority(parsed.getRawAuthority(), scheme).equals(authority(host, scheme)) || !isLoopbackHost(parsed.getRawAuthority());
    }

    /** {@code host:port}, lower case, the scheme's default port written out. */
    private static String authority(String hostAndPort, String scheme) {
        Matcher parts = HOST.matcher(hostAndPort.trim());
        if (!parts.matches()) {
            return "?";
        }
        String port = parts.group(2) != null ? parts.group(2) : "https".equalsIgnoreCase(scheme) ? "443" : "80";
        return parts.group(1).toLowerCase(Locale.ROOT) + ":" + Integer.parseInt(port);
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

    /** No admin token is set and the request names a foreign host or comes from another site: 403 naming the variable. */
    public static class ForbiddenException extends RuntimeException {
        ForbiddenException(String message) {
            super(message);
        }
    }

    /** No admin token is set and the client is not on the loopback address: 401 naming the variable. */
    public static class LoopbackOnlyException extends RuntimeException {
        LoopbackOnlyException() {
            super("BRIDGE_ADMIN_TOKEN is not set: /admin answers only clients on the loopback address");
        }
    }
}
