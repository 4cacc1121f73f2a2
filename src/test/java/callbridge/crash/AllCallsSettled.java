package callbridge.crash;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeClient;
import callbridge.support.BridgeTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * The store's own account ({@code GET /admin/summary}): no call still open, being completed, waiting for its next
 * attempt or being sent. A copy reaches Cekura only from a call being sent, so from then on no further copy of any
 * call can come: what Cekura got is final, with no wait for a redelivery that may or may not come.
 */
final class AllCallsSettled {
    /** The states from which a call may still be sent. */
    static final List<String> UNSETTLED = List.of("open", "completing", "pending", "delivering");

    private AllCallsSettled() {
    }

    static void await(BridgeClient bridge) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode calls = BridgeTestSupport.JSON.readTree(bridge.get("/admin/summary").body()).path("calls");
            for (String state : UNSETTLED) {
                assertThat(calls.path(state).isNumber()).as("calls %s is counted", state).isTrue();
                assertThat(calls.path(state).asLong()).as("calls %s", state).isZero();
            }
        });
    }
}
