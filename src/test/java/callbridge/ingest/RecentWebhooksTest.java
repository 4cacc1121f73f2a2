package callbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.ingest.RecentWebhooks.ProviderWebhooks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ops page's last 15 minutes of webhooks, on a clock the test moves. */
class RecentWebhooksTest {
    private Instant now = Instant.parse("2026-03-01T10:00:30Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final RecentWebhooks recent = new RecentWebhooks(clock);

    @Test
    void aProviderRefusedWithNoneAcceptedStandsOutUntilItsRefusalsAreOlderThan15Minutes() {
        recent.accepted("salpre");
        recent.refused("vapi", "unauthorized");
        later(Duration.ofMinutes(10));
        recent.refused("vapi", "unauthorized");
        recent.refused("vapi", "malformed");
        recent.refused("salpre", "too-large");
        assertThat(recent.refusedByProvider()).containsExactly(
                new ProviderWebhooks("salpre", 1, Map.of("too-large", 1L), false),
                new ProviderWebhooks("vapi", 0, Map.of("malformed", 1L, "unauthorized", 2L), true));

        later(Duration.ofMinutes(5));   // the first minute's counts leave the window
        assertThat(recent.refusedByProvider()).containsExactly(
                new ProviderWebhooks("salpre", 0, Map.of("too-large", 1L), true),
                new ProviderWebhooks("vapi", 0, Map.of("malformed", 1L, "unauthorized", 1L), true));

        later(Duration.ofMinutes(10));
        assertThat(recent.refusedByProvider()).isEmpty();
    }

    @Test
    void reasonsAreListedInNameOrder() {
        recent.refused("bland", "unauthorized");
        recent.refused("bland", "bad-signature");
        recent.refused("bland", "method");
        assertThat(recent.refusedByProvider().get(0).refused().keySet()).containsExactly("bad-signature", "method", "unauthorized");
    }

    private void later(Duration duration) {
        now = now.plus(duration);
    }
}
