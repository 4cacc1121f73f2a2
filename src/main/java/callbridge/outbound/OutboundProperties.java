package callbridge.outbound;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The provider API that places outbound calls: {@code OUTBOUND_DIAL_URL}, {@code OUTBOUND_DIAL_API_KEY},
 * {@code OUTBOUND_DIAL_WINDOW}, {@code OUTBOUND_RETRY_INITIAL_DELAY}.
 *
 * @param dialWindow       Cekura drops a call placed later than this after the trigger
 * @param connectTimeout   connecting to the dial API
 * @param responseTimeout  waiting for its answer
 */
@ConfigurationProperties("outbound")
public record OutboundProperties(
        URI dialUrl,
        String dialApiKey,
        @DefaultValue("300s") Duration dialWindow,
        @DefaultValue("1s") Duration retryInitialDelay,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration responseTimeout) {

    public Duration dialLease() {
        return connectTimeout.plus(responseTimeout).plusSeconds(5);
    }

    public boolean configured() {
        return dialUrl != null && !dialUrl.toString().isBlank();
    }
}
