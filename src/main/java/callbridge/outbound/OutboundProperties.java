package callbridge.outbound;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who places outbound calls and how: {@code OUTBOUND_PROVIDER} (the dial route {@code direct:bridge-dial-<provider>},
 * a route file), {@code OUTBOUND_DIAL_URL} / {@code OUTBOUND_DIAL_API_KEY} (the {@code http} dial),
 * {@code OUTBOUND_DIAL_WINDOW}, {@code OUTBOUND_RETRY_INITIAL_DELAY}, {@code OUTBOUND_ANSWER_WAIT},
 * {@code OUTBOUND_TRIGGER_RATE_LIMIT}. A platform's own settings (URL, key, agent, number map) are read by its
 * route file.
 *
 * @param provider          the dial route's name; unset: {@code http} when {@code OUTBOUND_DIAL_URL} is set
 * @param dialWindow        Cekura drops a call placed later than this after the trigger
 * @param answerWait        the trigger's answer waits at most this long for the first dial to be accepted
 * @param triggerRateLimit  triggers accepted per second, burst the same (per node); 0 switches the limit off
 * @param connectTimeoutMs  connecting to the dial API (the dial route files read {@code outbound.connect-timeout-ms})
 * @param responseTimeoutMs waiting for its answer ({@code outbound.response-timeout-ms})
 */
@ConfigurationProperties("outbound")
public record OutboundProperties(
        String provider,
        URI dialUrl,
        String dialApiKey,
        @DefaultValue("300s") Duration dialWindow,
        @DefaultValue("1s") Duration retryInitialDelay,
        @DefaultValue("10s") Duration answerWait,
        @DefaultValue("20") int triggerRateLimit,
        @DefaultValue("5000") long connectTimeoutMs,
        @DefaultValue("10000") long responseTimeoutMs) {

    /** Cekura waits 30 s for the trigger's answer: the wait stays well inside it (the store and the network need their share). */
    public static final Duration MAX_ANSWER_WAIT = Duration.ofSeconds(25);

    /** How long a node owns a trigger it is dialing before another node may take it over. */
    public Duration dialLease() {
        return Duration.ofMillis(connectTimeoutMs + responseTimeoutMs).plusSeconds(5);
    }

    /** The dial route's name ({@code direct:bridge-dial-<name>}), or null when nothing places calls. */
    public String effectiveProvider() {
        if (provider != null && !provider.isBlank()) {
            return provider.trim();
        }
        return dialUrl != null && !dialUrl.toString().isBlank() ? "http" : null;
    }

    public boolean configured() {
        return effectiveProvider() != null;
    }
}
