package callbridge.admin;

import callbridge.calls.CallState;
import callbridge.store.BridgeStore;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@code GET /admin/calls?state=&provider=&limit=}: the calls the bridge holds, newest first. */
@Component("bridgeRecentCalls")
public class RecentCalls {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    /** The states as the admin API spells them: {@code dead-lettered}. */
    static final List<String> STATES = Arrays.stream(CallState.values()).map(RecentCalls::spelled).toList();
    private static final Set<String> PARAMETERS = Set.of("state", "provider", "limit");
    private static final String PROVIDER_NAME = "[A-Za-z0-9_-]{1,64}";

    private static final String SELECT = """
            SELECT provider, call_id, state, is_test, first_event_at, last_event_at, ended_received_at,
                   attempts, completion_failures, last_status, last_error, delivered_at
              FROM bridge_call""";

    private final JdbcClient jdbc;

    public RecentCalls(BridgeStore bridgeStore) {
        this.jdbc = bridgeStore.jdbc();
    }

    public List<Map<String, Object>> list(@Header(Exchange.HTTP_QUERY) String query) {
        AdminQuery parameters = AdminQuery.parse(query, PARAMETERS);
        Optional<String> state = parameters.text("state").map(RecentCalls::stateColumn);
        Optional<String> provider = parameters.text("provider");
        if (provider.isPresent() && !provider.get().matches(PROVIDER_NAME)) {
            throw new BadAdminRequestException("provider must be a provider name: 1 to 64 letters, digits, - or _");
        }
        int limit = (int) parameters.number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);

        List<String> conditions = new ArrayList<>();
        state.ifPresent(s -> conditions.add("state = :state"));
        provider.ifPresent(p -> conditions.add("provider = :provider"));
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        var statement = jdbc.sql(SELECT + where + " ORDER BY first_event_at DESC, provider, call_id LIMIT :limit")
                .param("limit", limit);
        if (state.isPresent()) {
            statement = statement.param("state", state.get());
        }
        if (provider.isPresent()) {
            statement = statement.param("provider", provider.get());
        }
        return statement.query((rs, i) -> {
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("provider", rs.getString("provider"));
            call.put("callId", rs.getString("call_id"));
            call.put("state", spelled(CallState.valueOf(rs.getString("state"))));
            call.put("test", rs.getBoolean("is_test"));
            for (String column : List.of("first_event_at", "last_event_at", "ended_received_at")) {
                call.put(CallAdminView.camel(column), instant(rs.getObject(column, OffsetDateTime.class)));
            }
            call.put("attempts", rs.getInt("attempts"));
            call.put("completionFailures", rs.getInt("completion_failures"));
            call.put("lastStatus", rs.getObject("last_status"));
            call.put("lastError", rs.getString("last_error"));
            call.put("deliveredAt", instant(rs.getObject("delivered_at", OffsetDateTime.class)));
            return call;
        }).list();
    }

    static String spelled(CallState state) {
        return state.name().toLowerCase().replace('_', '-');
    }

    private static String stateColumn(String spelled) {
        if (!STATES.contains(spelled)) {
            throw new BadAdminRequestException("state must be one of " + String.join(", ", STATES));
        }
        return spelled.toUpperCase().replace('-', '_');
    }

    private static String instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant().toString();
    }
}
