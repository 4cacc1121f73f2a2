package callbridge.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Salpre webhook bodies shaped as in seed 001, for any call id. */
public final class SalpreEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String FROM = "+905555555555";
    public static final String TO = "+905555555554";
    public static final String SOURCE = "salprebox:SALPRE_AABBCCDD";

    private SalpreEvents() {
    }

    /** The seed fixture of that name (call id 730001), byte for byte. */
    public static String fixture(String name) {
        try (var in = SalpreEvents.class.getResourceAsStream("/salpre/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String lifecycle(String type, long callId, long at) {
        return json(envelope(type, at, party(callId)));
    }

    public static String transcript(long callId, long at, String speaker, String text, String lineAt) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("call", call(callId));
        payload.put("type", speaker);
        payload.put("transcript", text);
        if (lineAt != null) {
            payload.put("timestamp_utc", lineAt);
        }
        return json(envelope("transcript", at, payload));
    }

    /** call_ended with the given final transcript lines: each {type, message[, utc_timestamp]}. */
    public static String ended(long callId, long at, List<Map<String, Object>> lines) {
        Map<String, Object> payload = party(callId);
        payload.put("transcript", lines);
        return json(envelope("call_ended", at, payload));
    }

    public static String error(long callId, long at, String message) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("call", call(callId));
        payload.put("error_message", message);
        return json(envelope("error", at, payload));
    }

    public static String asTest(String body) {
        return body.replace("\"is_test\":false", "\"is_test\":true");
    }

    public static Map<String, Object> line(String type, String message, String at) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", type);
        line.put("message", message);
        if (at != null) {
            line.put("utc_timestamp", at);
        }
        return line;
    }

    private static Map<String, Object> envelope(String type, long at, Map<String, Object> payload) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_type", type);
        body.put("timestamp_utc", at);
        body.put("payload", payload);
        body.put("is_test", false);
        return body;
    }

    private static Map<String, Object> party(long callId) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("call_id", callId);
        payload.put("from", FROM);
        payload.put("to", TO);
        payload.put("direction", "outbound");
        payload.put("source", SOURCE);
        return payload;
    }

    private static Map<String, Object> call(long callId) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("id", callId);
        call.put("from", FROM);
        call.put("to", TO);
        call.put("source", SOURCE);
        call.put("direction", "outbound");
        return call;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
