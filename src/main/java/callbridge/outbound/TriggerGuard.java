package callbridge.outbound;

import callbridge.ingest.Credentials;
import callbridge.ingest.EarlyCredentialCheck;
import callbridge.ingest.RequestCredentials;
import callbridge.ingest.UnauthorizedException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The Trigger URL's credential: {@code CEKURA_TRIGGER_SECRET}, which Cekura sends as {@code X-CEKURA-SECRET} when a
 * trigger secret is set in the agent's settings; {@code CEKURA_TRIGGER_TOKEN} with {@code X-Webhook-Token} or
 * {@code ?token=} is its older alias. A request passes when any credential it presents equals any configured one
 * (each pair compared in constant time, all pairs compared). Neither set: open (a warning at start). The headers are
 * the request's own ({@link RequestCredentials}); the query string counts only for {@code ?token=}, and only against
 * {@code CEKURA_TRIGGER_TOKEN}, its documented form: {@code ?X-CEKURA-SECRET=} is no credential.
 */
@Component("bridgeTriggerGuard")
public class TriggerGuard implements EarlyCredentialCheck {
    /** The trigger endpoint's route: its credential is checked before its body is read too. */
    static final String ROUTE_ID = "bridge-outbound-trigger";
    static final String SECRET_HEADER = "X-CEKURA-SECRET";
    static final String TOKEN_HEADER = "X-Webhook-Token";
    static final String TOKEN_QUERY = "token";

    private final List<String> expected = new ArrayList<>();
    private final String token;

    public TriggerGuard(@Value("${cekura.trigger-secret:}") String secret, @Value("${cekura.trigger-token:}") String token) {
        Stream.of(secret, token).filter(value -> value != null && !value.isBlank()).forEach(expected::add);
        this.token = token == null || token.isBlank() ? null : token;
    }

    public boolean open() {
        return expected.isEmpty();
    }

    /** Throws {@link UnauthorizedException} unless the request carries a configured credential; removes them all. */
    public void authorize(Exchange exchange) {
        Message in = exchange.getMessage();
        List<String> presented = Stream.of(SECRET_HEADER, TOKEN_HEADER)
                .map(name -> RequestCredentials.header(exchange, name)).filter(value -> value != null).toList();
        String queryToken = RequestCredentials.queryParameter(exchange, TOKEN_QUERY);
        // never carry a credential further: not into the store, not into logs, not to the dial API
        Stream.of(SECRET_HEADER, TOKEN_HEADER, TOKEN_QUERY, Exchange.HTTP_QUERY, Exchange.HTTP_RAW_QUERY).forEach(in::removeHeader);
        if (open()) {
            return;
        }
        if (!admits(presented, queryToken)) {
            throw new UnauthorizedException();
        }
    }

    /** Before the body is read: the same check on the request's own headers and query string. */
    @Override
    public boolean refuses(String routeId, HttpServletRequest request) {
        if (!ROUTE_ID.equals(routeId) || open()) {
            return false;
        }
        List<String> presented = Stream.of(SECRET_HEADER, TOKEN_HEADER).map(request::getHeader).filter(value -> value != null).toList();
        return !admits(presented, RequestCredentials.queryParameter(request, TOKEN_QUERY));
    }

    /** Every pair compared in constant time, all pairs compared. */
    private boolean admits(List<String> presented, String queryToken) {
        boolean matched = false;
        for (String candidate : presented) {
            for (String credential : expected) {
                matched |= Credentials.matches(candidate, credential);
            }
        }
        if (queryToken != null && token != null) {
            matched |= Credentials.matches(queryToken, token);
        }
        return matched;
    }
}
