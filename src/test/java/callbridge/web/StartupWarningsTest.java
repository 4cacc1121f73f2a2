package callbridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.delivery.CekuraProperties;
import java.net.URI;
import java.time.Duration;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

/** The warning about a connection pool too small for the bridge's own users of it. */
@ExtendWith(OutputCaptureExtension.class)
class StartupWarningsTest {
    private static final String POOL_WARNING = "SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE is";

    @Test
    void aPoolBelowTheMinimumIsNamedWithItsSize(CapturedOutput output) {
        warnWith(new MockEnvironment().withProperty("spring.datasource.hikari.maximum-pool-size", "4"));

        assertThat(output.getOut()).contains(POOL_WARNING + " 4, below 10: completion, the journal and the flush "
                + "share the pool with the webhooks, which may wait past the connection timeout under load (503)");
    }

    @Test
    void theDefaultPoolAndLargerOnesAreNotWarnedAbout(CapturedOutput output) {
        warnWith(new MockEnvironment().withProperty("spring.datasource.hikari.maximum-pool-size", "10"));
        warnWith(new MockEnvironment().withProperty("spring.datasource.hikari.maximum-pool-size", "32"));
        warnWith(new MockEnvironment()); // unset: Hikari's own default (10)

        assertThat(output.getOut()).doesNotContain(POOL_WARNING)
                .contains("BRIDGE_ADMIN_TOKEN is not set"); // the warnings did run
    }

    private static void warnWith(MockEnvironment environment) {
        var cekura = new CekuraProperties(URI.create("http://127.0.0.1:1/cekura"), null, 1, Duration.ofMinutes(5),
                Duration.ofSeconds(1), 8, Duration.ofSeconds(5), Duration.ofSeconds(20), 2, "epoch-ms");
        new StartupWarnings(new DefaultCamelContext(), environment, cekura).warn();
    }
}
