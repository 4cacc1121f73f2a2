package callbridge.admin;

import callbridge.BridgeJson;
import callbridge.store.BridgeStore;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

/**
 * What ops see of one call: its state, its events a page at a time (without their raw bodies, which
 * {@link #rawEvent} gives one by one), every delivery attempt, the payload. A call of many large events
 * is read in bounded memory.
 */
@Component("bridgeCallAdminView")
public class CallAdminView {
    static final int DEFAULT_EVENTS = 100;
    static final int MAX_EVENTS = 500;
    private static final Set<String> PARAMETERS = Set.of("eventsAfter", "eventsLimit");
    private static final Set<String> BY_QUERY = Set.of("provider", "id", "eventsAfter", "eventsLimit");
    private static final Set<String> EVENT_BY_QUERY = Set.of("provider", "id");

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public CallAdminView(BridgeStore bridgeStore, BridgeJson json) {
        this.jdbc = bridgeStore.jdbc();
        this.json = json.mapper();
    }

    /**
     * {@code /admin/calls/{provider}/{callId}}, both percent-decoded ({@code a%20b} is the call {@code a b});
     * {@code ?eventsAfter=<event id>&eventsLimit=<n>}: the events after that id; {@code nextEventsAfter} asks for the
     * next page. An id with a {@code /} cannot be a path segment (the server refuses {@code %2F}): {@link #callByQuery}.
     */
    public Map<String, Object> call(@Header("provider") String provider, @Header("callId") String callId,
            @Header(Exchange.HTTP_QUERY) String query) {
        return view(segment(provider), segment(callId), AdminQuery.parse(query, PARAMETERS));
    }

    /** {@code /admin/call?provider=<p>&id=<call id>[&eventsAfter=&eventsLimit=]}: any call id, {@code /} too (the ops page's form). */
    public Map<String, Object> callByQuery(@Header(Exchange.HTTP_QUERY) String query) {
        AdminQuery parameters = AdminQuery.parse(query, BY_QUERY);
        return view(parameters.required("provider"), parameters.required("id"), parameters);
    }

    private Map<String, Object> view(String provider, String callId, AdminQuery parameters) {
        long eventsAfter = parameters.number("eventsAfter", 0, 0, Long.MAX_VALUE);
        int eventsLimit = (int) parameters.number("eventsLimit", DEFAULT_EVENTS, 1, MAX_EVENTS);
        Map<String, Object> view = jdbc.sql("""
                SELECT state, is_test AND NOT EXISTS (SELECT 1 FROM bridge_call_event e WHERE e.provider = c.provider
                                                        AND e.call_id = c.call_id AND NOT e.is_test) AS is_test,
                       first_event_at,
                       (SELECT MAX(e.received_at) FROM bridge_call_event e
                         WHERE e.provider = c.provider AND e.call_id = c.call_id) AS last_event_at,
                       ended_received_at, due_at, completed_at,
                       window_ends_at, attempts, completion_failures, last_status, last_error, delivered_at, payload
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
                    row.put("completionFailures", rs.getInt("completion_failures"));
                    row.put("lastStatus", rs.getObject("last_status"));
                    row.put("lastError", rs.getString("last_error"));
                    row.put("payload", parse(rs.getString("payload")));
                    return row;
                })
                .optional()
                .orElseThrow(() -> new NotFoundException("no call " + provider + "/" + callId));
        view.put("eventCount", jdbc.sql("SELECT COUNT(*) FROM bridge_call_event WHERE provider = :provider AND call_id = :callId")
                .param("provider", provider).param("callId", callId).query(Long.class).single());
        List<Map<String, Object>> events = jdbc.sql("""
                SELECT id, event_type, kind, is_test, occurred_at, received_at, OCTET_LENGTH(raw_body) AS raw_bytes
                  FROM bridge_call_event WHERE provider = :provider AND call_id = :callId AND id > :after
                 ORDER BY id LIMIT :limit""")
                .param("provider", provider).param("callId", callId).param("after", eventsAfter).param("limit", eventsLimit + 1)
                .query((rs, i) -> {
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("id", rs.getLong("id"));
                    event.put("eventType", rs.getString("event_type"));
                    event.put("kind", rs.getString("kind").toLowerCase());
                    event.put("test", rs.getBoolean("is_test"));
                    OffsetDateTime occurred = rs.getObject("occurred_at", OffsetDateTime.class);
                    event.put("occurredAt", occurred == null ? null : occurred.toInstant().toString());
                    event.put("receivedAt", rs.getObject("received_at", OffsetDateTime.class).toInstant().toString());
                    event.put("rawBytes", rs.getLong("raw_bytes"));
                    return event;
                }).list();
        boolean more = events.size() > eventsLimit;
        List<Map<String, Object>> page = more ? events.subList(0, eventsLimit) : events;
        view.put("events", page);
        view.put("nextEventsAfter", more ? page.get(page.size() - 1).get("id") : null);
        view.put("deliveryAttempts", jdbc.sql("""
                SELECT attempt, attempted_at, status, outcome, detail FROM bridge_delivery_attempt
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

    /** One event's body exactly as the provider sent it; 404 unless the event is this call's. */
    public byte[] rawEvent(@Header("provider") String provider, @Header("callId") String callId,
            @Header("eventId") String eventId) {
        return raw(segment(provider), segment(callId), eventId);
    }

    /** {@code /admin/call/events/{eventId}?provider=<p>&id=<call id>}: the same, for any call id. */
    public byte[] rawEventByQuery(@Header("eventId") String eventId, @Header(Exchange.HTTP_QUERY) String query) {
        AdminQuery parameters = AdminQuery.parse(query, EVENT_BY_QUERY);
        return raw(parameters.required("provider"), parameters.required("id"), eventId);
    }

    private byte[] raw(String provider, String callId, String eventId) {
        if (eventId == null || !eventId.matches("\\d{1,18}")) {
            throw new NotFoundException("no event " + eventId + " in call " + provider + "/" + callId);
        }
        return jdbc.sql("SELECT raw_body FROM bridge_call_event WHERE id = :id AND provider = :provider AND call_id = :callId")
                .param("id", Long.parseLong(eventId)).param("provider", provider).param("callId", callId)
                .query((rs, i) -> rs.getBytes(1))
                .optional()
                .orElseThrow(() -> new NotFoundException("no event " + eventId + " in call " + provider + "/" + callId));
    }

    /** {@code application/json} for a body that is well-formed JSON, else {@code application/octet-stream}. */
    public String rawContentType(byte[] raw) {
        try (JsonParser parser = json.getFactory().createParser(raw)) {
            while (parser.nextToken() != null) {
                parser.skipChildren();
            }
            return "application/json";
        } catch (IOException notJson) {
            return "application/octet-stream";
        }
    }

    /** A path segment as the request carried it, percent-decoded ({@code +} stays a plus); a bad escape is a 400. */
    static String segment(String raw) {
        if (raw == null || raw.indexOf('%') < 0) {
            return raw;
        }
        try {
            return UriUtils.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            throw new BadAdminRequestException("the path is not well encoded");
        }
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
