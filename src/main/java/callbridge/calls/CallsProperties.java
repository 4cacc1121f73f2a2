package callbridge.calls;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How calls are gathered: {@code BRIDGE_CALL_GRACE}, {@code BRIDGE_CALL_IDLE_TIMEOUT},
 * {@code BRIDGE_FORWARD_TEST_EVENTS}.
 *
 * @param callGrace          after a call's end, late events are folded in for this long
 * @param callIdleTimeout    a call with no event for this long is closed as it is
 * @param forwardTestEvents  deliver calls made only of provider test-button events
 * @param claimLease         how long a node owns a call it is completing before another may take it
 * @param completionHookLease a call handed to its provider's hook ({@code direct:bridge-complete-<provider>}, e.g.
 *                           Verbex's API read) is owned this long from then: must cover the hook's worst case
 * @param completionRetryDelay a call whose assembly failed is tried again after this, doubled each time
 * @param completionAttempts   failed assemblies before the call becomes a dead letter for ops
 * @param callMaxEvents      one call holds at most this many events ({@code BRIDGE_CALL_MAX_EVENTS}); beyond, 422
 * @param callMaxBytes       one call holds at most this many raw bytes ({@code BRIDGE_CALL_MAX_BYTES}); beyond, 422
 * @param callMaxParsedBytes one call's events take at most this much heap once parsed for its assembly
 *                           ({@code BRIDGE_CALL_MAX_PARSED_BYTES}, measured by {@code ingest.ParsedSize}); beyond, 422,
 *                           and one event that alone is beyond it is refused 422 without touching its call
 * @param assemblyMemoryBudget what the calls being assembled at once on this node may take parsed, together
 *                           ({@code BRIDGE_ASSEMBLY_MEMORY_BUDGET}); unset, a quarter of the JVM's maximum heap
 */
@ConfigurationProperties("bridge")
public record CallsProperties(
        @DefaultValue("5s") Duration callGrace,
        @DefaultValue("15m") Duration callIdleTimeout,
        @DefaultValue("false") boolean forwardTestEvents,
        @DefaultValue("60s") Duration claimLease,
        @DefaultValue("3m") Duration completionHookLease,
        @DefaultValue("30s") Duration completionRetryDelay,
        @DefaultValue("3") int completionAttempts,
        @DefaultValue("10000") int callMaxEvents,
        @DefaultValue("32MB") DataSize callMaxBytes,
        @DefaultValue("160MB") DataSize callMaxParsedBytes,
        DataSize assemblyMemoryBudget) {
}
