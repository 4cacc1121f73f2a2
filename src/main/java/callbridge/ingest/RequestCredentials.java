package callbridge.ingest;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

/**
 * Where every guard reads a credential: the HTTP request's own headers, never Camel's message headers. Camel copies
 * query parameters into the message headers too, so {@code ?Authorization=Bearer%20…} or {@code ?X-Vapi-Secret=…}
 * would pass as a header, and a credential in a URL ends up in proxy and access logs. A query parameter counts only
 * where it is documented ({@link #queryParameter}: the {@code ?token=} of token providers and of
 * {@code CEKURA_TRIGGER_TOKEN}).
 *
 * <p>An exchange that did not come over HTTP (a host's own route calling the bridge's {@code direct:} endpoints, a
 * test through a producer) has no request and no query string: its message headers are what that code set on
 * purpose, so they are read instead. An exchange that came over HTTP but no longer carries its request presents no
 * credential at all (fail closed), never the message headers.
 */
public final class RequestCredentials {
    private RequestCredentials() {
    }

    /** A request header (first value; the name in any case), or null. */
    public static String header(Exchange exchange, String name) {
        HttpServletRequest request = request(exchange);
        if (request != null) {
            return request.getHeader(name);
        }
        return cameFromHttp(exchange) ? null : exchange.getMessage().getHeader(name, String.class);
    }

    /**
     * A query parameter (the first of that name, decoded), or null: for the documented {@code ?token=} only. Read from
     * the query string itself, never from a form body ({@code getParameter} would read one).
     */
    public static String queryParameter(Exchange exchange, String name) {
        HttpServletRequest request = request(exchange);
        if (request == null) {
            return cameFromHttp(exchange) ? null : exchange.getMessage().getHeader(name, String.class);
        }
        return queryParameter(request, name);
    }

    /** The same, on the servlet request itself (the body filter's early check, before any exchange exists). */
    public static String queryParameter(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(key).equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    /** The servlet request the exchange came with, or null when it did not come over HTTP (or lost it). */
    public static HttpServletRequest request(Exchange exchange) {
        for (Message message : new Message[] {exchange.getMessage(), exchange.getIn()}) {
            if (message instanceof PlatformHttpMessage http && http.getRequest() != null) {
                return http.getRequest();
            }
        }
        return null;
    }

    private static boolean cameFromHttp(Exchange exchange) {
        return exchange.getFromEndpoint() instanceof PlatformHttpEndpoint;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return text;
        }
    }
}
