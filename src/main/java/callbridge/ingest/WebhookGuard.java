package callbridge.ingest;

import callbridge.BridgeJson;
import callbridge.calls.CallEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The first steps of every provider route: check the provider's shared token, keep the raw bytes,
 * parse the body as a JSON object. The token is the property {@code <provider>.webhook-token}
 * (environment {@code <PROVIDER>_WEBHOOK_TOKEN}); unset means the endpoint is open. It is read from the request's
 * {@code X-Webhook-Token} header or, as documented for token providers, the query parameter {@code ?token=}
 * ({@link RequestCredentials}).
 */
@Component("bridgeWebhookGuard")
public class WebhookGuard {
    public static final String PROVIDER = CallEvent.PROVIDER_PROPERTY;
    public static final String RAW_BODY = "bridgeRawBody";
    /** Optional: the property holding the token, when it is not {@code <provider>.webhook-token}. */
    public static final String TOKEN_PROPERTY = "bridgeTokenProperty";
    public static final String TOKEN_HEADER = "X-Webhook-Token";
    public static final String TOKEN_QUERY = "token";

    private final Environment environment;
    private final ObjectReader json;
    private final Map<String, Optional<String>> expectedTokens = new ConcurrentHashMap<>();

    public WebhookGuard(Environment environment, BridgeJson mapper) {
        this.environment = environment;
        this.json = mapper.mapper().readerFor(Object.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Throws {@link UnauthorizedException} unless the request carries the provider's token. */
    public void authorize(Exchange exchange) {
        String provider = exchange.getProperty(PROVIDER, String.class);
        String expected = expectedToken(exchange.getProperty(TOKEN_PROPERTY, provider + ".webhook-token", String.class));
        Message in = exchange.getMessage();
        // the request's own header, else the documented ?token= (never a query parameter named like the header)
        String presented = RequestCredentials.header(exchange, TOKEN_HEADER);
        if (presented == null) {
            presented = RequestCredentials.queryParameter(exchange, TOKEN_QUERY);
        }
        // never carry the credential further: not into the store, not into logs
        in.removeHeader(TOKEN_HEADER);
        in.removeHeader(TOKEN_QUERY);
        in.removeHeader(Exchange.HTTP_QUERY);
        in.removeHeader(Exchange.HTTP_RAW_QUERY);
        if (expected != null && !expected.isEmpty() && !Credentials.matches(presented, expected)) {
            throw new UnauthorizedException();
        }
    }

    /**
     * Before the body is read: whether {@code provider}'s token (header {@code X-Webhook-Token}, else query
     * {@code ?token=}) may pass; always when no token is set.
     */
    public boolean admitsToken(String provider, String headerToken, String queryToken) {
        String expected = expectedToken(provider + ".webhook-token");
        return expected == null || expected.isEmpty()
                || Credentials.matches(headerToken != null ? headerToken : queryToken, expected);
    }

    /** Resolved once per property: the Environment walks every property source on each lookup. */
    private String expectedToken(String property) {
        return expectedTokens.computeIfAbsent(property, name -> Optional.ofNullable(environment.getProperty(name))).orElse(null);
    }

    /** Keeps the body's exact bytes (what a signature covers, what the store keeps). */
    public void keepRawBody(Exchange exchange) {
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        exchange.setProperty(RAW_BODY, raw == null ? new byte[0] : raw);
    }

    /** Replaces the body by the parsed JSON object; the exact bytes stay in {@link #RAW_BODY}. */
    public void parseJsonObject(Exchange exchange) {
        byte[] raw = exchange.getProperty(RAW_BODY, byte[].class);
        if (raw == null) {
            keepRawBody(exchange);
            raw = exchange.getProperty(RAW_BODY, byte[].class);
        }
        if (raw.length == 0) {
            throw new InvalidEventException("empty body: a JSON object is required");
        }
        try {
            Object parsed = json.readValue(raw);
            if (!(parsed instanceof Map)) {
                throw new InvalidEventException("body must be a JSON object");
            }
            exchange.getMessage().setBody(parsed);
        } catch (JsonProcessingException malformed) {
            var at = malformed.getLocation();
            throw new InvalidEventException(at == null ? "malformed JSON"
                    : "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr());
        } catch (IOException unreadable) {
            throw new InvalidEventException("unreadable body");
        }
    }
}
