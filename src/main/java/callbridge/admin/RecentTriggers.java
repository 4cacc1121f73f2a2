package callbridge.admin;

import callbridge.store.BridgeStore;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@code GET /admin/outbound-triggers?status=&limit=}: Cekura's outbound triggers, newest first. */
@Component("bridgeRecentTriggers")
public class RecentTriggers {
    static final List<String> STATUSES = List.of("received", "dialing", "dialed", "failed", "expired");
    private static final Set<String> PARAMETERS = Set.of("status", "limit");

    private static final String SELECT = """
            SELECT id, status, from_number, to_number, received_at, dial_deadline, attempts, first_attempt_at,
                   dialed_at, provider_call_id, last_status, last_error
              FROM bridge_outbound_trigger""";

    private final JdbcClient jdbc;

    public RecentTriggers(BridgeStore bridgeStore) {
        this.jdbc = bridgeStore.jdbc();
    }

    public List<Map<String, Object>> list(@Header(Exchange.HTTP_QUERY) String query) {
        AdminQuery parameters = AdminQuery.parse(query, PARAMETERS);
        Optional<String> status = parameters.text("status");
        if (status.isPresent() && !STATUSES.contains(status.get())) {
            throw new BadAdminRequestException("status must be one of " + String.join(", ", STATUSES));
        }
        int limit = (int) parameters.number("limit", RecentCalls.DEFAULT_LIMIT, 1, RecentCalls.MAX_LIMIT);
        String where = status.isPresent() ? " WHERE status = :status" : "";
        var statement = jdbc.sql(SELECT + where + " ORDER BY received_at DESC, id LIMIT :limit").param("limit", limit);
        if (status.isPresent()) {
            statement = statement.param("status", status.get());
        }
        return statement.query((rs, i) -> {
            Map<String, Object> trigger = new LinkedHashMap<>();
            trigger.put("id", rs.getString("id"));
            trigger.put("status", rs.getString("status"));
            trigger.put("fromNumber", rs.getString("from_number"));
            trigger.put("toNumber", rs.getString("to_number"));
            for (String column : List.of("received_at", "dial_deadline", "first_attempt_at", "dialed_at")) {
                OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
                trigger.put(CallAdminView.camel(column), at == null ? null : at.toInstant().toString());
            }
            trigger.put("attempts", rs.getInt("attempts"));
            trigger.put("providerCallId", rs.getString("provider_call_id"));
            trigger.put("lastStatus", rs.getObject("last_status"));
            trigger.put("lastError", rs.getString("last_error"));
            return trigger;
        }).list();
    }
}
