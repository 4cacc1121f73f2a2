package callbridge.admin;

import callbridge.calls.CallState;
import callbridge.ingest.RecentWebhooks;
import callbridge.store.BridgeStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code GET /admin/summary}: calls by state, dead letters and triggers by status, every one named (0 when none);
 * and this node's refused webhooks of the last 15 minutes by provider and reason ({@link RecentWebhooks}).
 */
@Component("bridgeAdminSummary")
public class AdminSummary {
    private final JdbcClient jdbc;
    private final RecentWebhooks recentWebhooks;

    public AdminSummary(BridgeStore bridgeStore, RecentWebhooks recentWebhooks) {
        this.jdbc = bridgeStore.jdbc();
        this.recentWebhooks = recentWebhooks;
    }

    public Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("calls", counts("SELECT state, COUNT(*) FROM bridge_call GROUP BY state", RecentCalls.STATES,
                state -> RecentCalls.spelled(CallState.valueOf(state))));
        summary.put("deadLetters", counts("SELECT status, COUNT(*) FROM bridge_dead_letter WHERE status <> 'resolved' GROUP BY status",
                List.of("waiting", "replaying"), status -> status));
        summary.put("outboundTriggers", counts("SELECT status, COUNT(*) FROM bridge_outbound_trigger GROUP BY status",
                RecentTriggers.STATUSES, status -> status));
        Map<String, Object> refused = new LinkedHashMap<>();
        refused.put("window", RecentWebhooks.WINDOW.toMinutes() + "m");
        refused.put("providers", recentWebhooks.refusedByProvider());
        summary.put("refusedWebhooks", refused);
        return summary;
    }

    /** {@code sql} gives (name as stored, count); every one of {@code names} is in the answer, in that order. */
    private Map<String, Long> counts(String sql, List<String> names, UnaryOperator<String> spelled) {
        Map<String, Long> counts = new LinkedHashMap<>();
        names.forEach(name -> counts.put(name, 0L));
        jdbc.sql(sql).query((rs, i) -> Map.entry(spelled.apply(rs.getString(1)), rs.getLong(2))).list()
                .forEach(count -> counts.put(count.getKey(), count.getValue()));
        return counts;
    }
}
