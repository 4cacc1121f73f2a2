package callbridge.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Header;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What ops see of one call: its state, every stored event, every delivery attempt, the payload. */
@Component("callAdminView")
public class CallAdminView {
    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public CallAdminView(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Map<String, Object> call(@Header("provider") String provider, @Header("callId") String callId) {
        Map<String, Object> view = jdbc.sql("""
                SELECT state, is_test AND NOT EXISTS (SELECT 1 FROM call_event e WHERE e.provider = c.provider
                                                        AND e.call_id = c.call_id AND NOT e.is_test) AS is_test,
                       first_event_at,
                       (SELECT MAX(e.received_at) FROM call_event e
                         WHERE e.provider = c.provider AND e.call_id = c.call_id) AS last_event_at,
                       ended_received_at, due_at, completed_at,
                       window_ends_at, attempts, last_status, last_error, delivered_at, payload
                  FROM bridge_call c WHERE provider = :provider AND call_id = :callId""")
                .param("provider", provider).param("callId", callId)
                .query((rs, i) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("provider", provider);
                    row.put("callId", callId);
                    row.put("state", rs.getString("state").toLowerCase().replace('_', '-'));
                    row.put("test", rs.getBoolean("is_test"));
                    for (String column : List.of("first_event_at", "last_event_at", "ended_received_at", "due_at",
                            "completed_at", "window_ends_at", "delivered_at")) {
                        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
                        row.put(camel(column), at == null ? null : at.toInstant().toString());
                    }
                    row.put("attempts", rs.getInt("attempts"));
                    row.put("lastStatus", rs.getObject("last_status"));
                    row.put("lastError", rs.getString("last_error"));
                    row.put("payload", parse(rs.getString("payload")));
                    return row;
                })
                .optional()
                .orElseThrow(() -> new NotFoundException("no call " + provider + "/" + callId));
        view.put("events", jdbc.sql("""
                SELECT id, event_type, kind, is_test, occurred_at, received_at, raw_body
                  FROM call_event WHERE provider = :provider AND call_id = :callId ORDER BY id""")
                .param("provider", provider).param("callId", callId)
                .query((rs, i) -> {
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("id", rs.getLong("id"));
                    event.put("eventType", rs.getString("event_type"));
                    event.put("kind", rs.getString("kind").toLowerCase());
                    event.put("test", rs.getBoolean("is_test"));
                    OffsetDateTime occurred = rs.getObject("occurred_at", OffsetDateTime.class);
                    event.put("occurredAt", occurred == null ? null : occurred.toInstant().toString());
                    event.put("receivedAt", rs.getObject("received_at", OffsetDateTime.class).toInstant().toString());
                    event.put("raw", parse(new String(rs.getBytes("raw_body"), StandardCharsets.UTF_8)));
                    return event;
                }).list());
        view.put("deliveryAttempts", jdbc.sql("""
                SELECT attempt, attempted_at, status, outcome, detail FROM delivery_attempt
                 WHERE provider = :provider AND call_id = :callId ORDER BY id""")
                .param("provider", provider).param("callId", callId)
                .query((rs, i) -> {
                    Map<String, Object> attempt = new LinkedHashMap<>();
                    attempt.put("attempt", rs.getInt("attempt"));
                    attempt.put("at", rs.getObject("attempted_at", OffsetDateTime.class).toInstant().toString());
                    attempt.put("status", rs.getObject("status"));
                    attempt.put("outcome", rs.getString("outcome"));
                    attempt.put("detail", rs.getString("detail"));
                    return attempt;
                }).list());
        return view;
    }

    private Object parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, Object.class);
        } catch (IOException notJson) {
            return text;
        }
    }

    /** first_event_at → firstEventAt: store columns as JSON field names. */
    public static String camel(String column) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
