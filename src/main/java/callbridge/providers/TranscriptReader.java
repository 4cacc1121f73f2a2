package callbridge.providers;

import callbridge.calls.TranscriptLine;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a provider's transcript (a list of line objects) into Cekura messages, as a route's
 * {@code bridgeTranscriptFields} and {@code bridgeRoles} say.
 *
 * <p>A field is a key of the line, or a dotted path into it: {@code function.name}, {@code words.0.start} (the first
 * word), {@code words.-1.end} (the last). Keys: {@code role}, {@code content}, {@code start}, {@code end}, {@code data}
 * (the line's own {@code data} object, as it is), and for tool calls:
 * <ul>
 * <li>{@code call_id}, {@code call_name}, {@code call_arguments}: a line whose role maps to {@code function_call} is
 *     one tool call, these fields read from it;</li>
 * <li>{@code calls}: a list in a line whose items are tool calls (the fields above read from each item); in a line of any
 *     role (a {@code function_call} line is then only its items);</li>
 * <li>{@code result_id}, {@code result_name}, {@code result} and {@code results}: the same for tool results
 *     ({@code function_call_result}).</li>
 * </ul>
 * A tool call becomes {@code {"role": "function_call", "content": "", "data": {"id", "name", "arguments": {...}}}}, its
 * result {@code {"role": "function_call_result", "content": "", "data": {"id", "name", "result": ...}}}, with the times
 * of the line they are in. Arguments sent as a JSON string are parsed: an object stays an object, nothing is {@code {}},
 * anything else is kept as {@code {"raw": <what was sent>}}. A result that is a JSON object (or a string holding one) is
 * that object, anything else the text sent. A result without a name takes the name of the call with its id.
 * Without any tool key, every line is one message with the mapped role (the generic format's {@code tool_call} lines
 * keep their {@code data}); a line without content gives no message of its own, unless {@code digit} names a keypress
 * in it: then it is {@code "DTMF: <digit>"} (Retell's {@code dtmf} lines). A field may be {@code a ?? b}: the first
 * present ({@code words.0.start ?? time_sec}). {@code roleDataKey} and {@code roleDataRoles} ({@code |} between roles)
 * keep the provider's role in the message's {@code data} for those roles: {@code {"retell_role": "dtmf"}}.
 */
final class TranscriptReader {
    /** Reads one line time (start or end) to epoch milliseconds; {@code field} names it in a 400. */
    interface LineTime {
        Long millis(Object value, String field);
    }

    /** How a 400 names a line's field: line {@code index}, its {@code field}, what it {@code means} (line start). */
    interface LineField {
        String name(int index, String field, String means);
    }

    /** A route's own properties: {@code bridgeTranscript[1].start_ms (line start)}. */
    static final LineField PROPERTY_NAMES = (i, field, means) -> "bridgeTranscript[" + i + "]." + field + " (" + means + ")";

    private static final Set<String> CEKURA_ROLES = Set.of("bot", "user", "system", "function_call", "function_call_result");
    private static final String FUNCTION_CALL = "function_call";
    private static final String FUNCTION_RESULT = "function_call_result";
    private static final ObjectReader JSON = new ObjectMapper().readerFor(Object.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectMapper WRITER = new ObjectMapper();
    private static final Map<String, String[]> PATHS = new ConcurrentHashMap<>();
    private static final String EITHER = "??";
    private static final Map<String, String[]> CHOICES = new ConcurrentHashMap<>();

    private final Map<String, String> fields;
    private final Map<String, String> roles;
    private final LineTime time;
    private final LineField names;

    TranscriptReader(Map<String, String> fields, Map<String, String> roles, LineTime time) {
        this(fields, roles, time, PROPERTY_NAMES);
    }

    TranscriptReader(Map<String, String> fields, Map<String, String> roles, LineTime time, LineField names) {
        this.fields = fields;
        this.roles = roles;
        this.time = time;
        this.names = names;
    }

    List<TranscriptLine> read(List<?> items) {
        String startField = fields.getOrDefault("start", "start_ms");
        String endField = fields.getOrDefault("end", "end_ms");
        String callsField = fields.get("calls");
        String resultsField = fields.get("results");
        boolean callLines = fields.containsKey("call_id");
        boolean resultLines = fields.containsKey("result_id");
        String digitField = fields.get("digit");
        String roleDataKey = fields.get("roleDataKey");
        Set<String> roleDataRoles = roleDataKey == null ? Set.of() : Set.of(fields.getOrDefault("roleDataRoles", "").split("\\|"));
        List<TranscriptLine> lines = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> line)) {
                continue;
            }
            Object providerRole = value(line, fields.getOrDefault("role", "role"));
            String role = role(providerRole);
            Long start = time.millis(value(line, startField), names.name(i, present(line, startField), "line start"));
            Long end = time.millis(value(line, endField), names.name(i, present(line, endField), "line end"));
            List<?> calls = callsField == null ? null : value(line, callsField) instanceof List<?> list ? list : null;
            List<?> results = resultsField == null ? null : value(line, resultsField) instanceof List<?> list ? list : null;
            boolean callLine = FUNCTION_CALL.equals(role) && (calls != null || callLines);
            boolean resultLine = FUNCTION_RESULT.equals(role) && (results != null || resultLines);
            if (!callLine && !resultLine) {
                Object content = value(line, fields.getOrDefault("content", "content"));
                Object digit = content == null && digitField != null ? value(line, digitField) : null;
                if (digit != null && !(digit instanceof Map<?, ?>) && !(digit instanceof List<?>)) {
                    content = "DTMF: " + digit;
                }
                if (content != null) {
                    Object data = value(line, fields.getOrDefault("data", "data"));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> dataMap = data instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
                    if (providerRole != null && roleDataRoles.contains(String.valueOf(providerRole))) {
                        Map<String, Object> tagged = new LinkedHashMap<>();
                        tagged.put(roleDataKey, String.valueOf(providerRole));
                        if (dataMap != null) {
                            dataMap.forEach(tagged::putIfAbsent);
                        }
                        dataMap = tagged;
                    }
                    lines.add(new TranscriptLine(role, String.valueOf(content), start, end, dataMap));
                }
            } else if (callLine && calls == null) {
                lines.add(call(line, start, end));
            } else if (resultLine && results == null) {
                lines.add(result(line, start, end));
            }
            for (Object call : calls == null ? List.of() : calls) {
                if (call instanceof Map<?, ?> item) {
                    lines.add(call(item, start, end));
                }
            }
            for (Object result : results == null ? List.of() : results) {
                if (result instanceof Map<?, ?> item) {
                    lines.add(result(item, start, end));
                }
            }
        }
        return nameResults(lines);
    }

    private TranscriptLine call(Map<?, ?> item, Long start, Long end) {
        Map<String, Object> data = new LinkedHashMap<>();
        putText(data, "id", value(item, fields.get("call_id")));
        putText(data, "name", value(item, fields.get("call_name")));
        data.put("arguments", arguments(value(item, fields.get("call_arguments"))));
        return new TranscriptLine(FUNCTION_CALL, "", start, end, data);
    }

    private TranscriptLine result(Map<?, ?> item, Long start, Long end) {
        Map<String, Object> data = new LinkedHashMap<>();
        putText(data, "id", value(item, fields.get("result_id")));
        putText(data, "name", value(item, fields.get("result_name")));
        Object result = result(value(item, fields.get("result")));
        if (result != null) {
            data.put("result", result);
        }
        return new TranscriptLine(FUNCTION_RESULT, "", start, end, data);
    }

    /** A result without a name takes the name of the call it answers (same id). */
    private static List<TranscriptLine> nameResults(List<TranscriptLine> lines) {
        Map<Object, Object> names = new HashMap<>();
        for (TranscriptLine line : lines) {
            if (FUNCTION_CALL.equals(line.role()) && line.data() != null && line.data().get("id") != null
                    && line.data().get("name") != null) {
                names.putIfAbsent(line.data().get("id"), line.data().get("name"));
            }
        }
        if (names.isEmpty()) {
            return lines;
        }
        List<TranscriptLine> named = new ArrayList<>(lines.size());
        for (TranscriptLine line : lines) {
            Map<String, Object> data = line.data();
            Object name = data == null || data.get("id") == null ? null : names.get(data.get("id"));
            if (FUNCTION_RESULT.equals(line.role()) && name != null && !data.containsKey("name")) {
                Map<String, Object> withName = new LinkedHashMap<>();
                withName.put("id", data.get("id"));
                withName.put("name", name);
                data.forEach(withName::putIfAbsent);
                line = new TranscriptLine(line.role(), line.content(), line.startMs(), line.endMs(), withName);
            }
            named.add(line);
        }
        return named;
    }

    private static Object arguments(Object sent) {
        Object parsed = sent instanceof String text ? (text.isBlank() ? null : parse(text)) : sent;
        if (parsed instanceof Map<?, ?>) {
            return parsed;
        }
        return sent == null || sent instanceof String text && text.isBlank() ? Map.of() : Map.of("raw", sent);
    }

    private static Object result(Object sent) {
        if (sent == null || sent instanceof Map<?, ?>) {
            return sent;
        }
        if (sent instanceof String text) {
            return parse(text) instanceof Map<?, ?> object ? object : text;
        }
        try {
            return WRITER.writeValueAsString(sent);   // a list, a number, a boolean: as the JSON text it was
        } catch (JsonProcessingException impossible) {
            return String.valueOf(sent);
        }
    }

    private static Object parse(String text) {
        try {
            return JSON.readValue(text);
        } catch (java.io.IOException notJson) {
            return null;
        }
    }

    private static void putText(Map<String, Object> data, String key, Object value) {
        if (value != null && !(value instanceof Map<?, ?>) && !(value instanceof List<?>)) {
            data.put(key, String.valueOf(value));
        }
    }

    private String role(Object providerRole) {
        String mapped = providerRole == null ? null : roles.get(String.valueOf(providerRole));
        if (mapped == null && providerRole != null) {
            mapped = roles.get(ProviderDeclaration.fold(String.valueOf(providerRole)));   // a declaration's keys, as Camel bound them
        }
        if (mapped == null) {
            mapped = roles.getOrDefault("*", "system");
        }
        return CEKURA_ROLES.contains(mapped) ? mapped : "system";
    }

    /** The value at {@code path} in {@code line}: a key, or keys and list indexes joined by dots (-1 is the last). */
    static Object value(Map<?, ?> line, String path) {
        if (path == null) {
            return null;
        }
        if (path.contains(EITHER)) {
            return value(line, present(line, path));
        }
        return at(line, path);
    }

    /** Of {@code a ?? b}, the first path present in the line (the last when none is): what a 400 names. */
    static String present(Map<?, ?> line, String path) {
        if (!path.contains(EITHER)) {
            return path;
        }
        String[] choices = CHOICES.computeIfAbsent(path, p -> Arrays.stream(p.split("\\?\\?")).map(String::trim).toArray(String[]::new));
        for (String choice : choices) {
            if (at(line, choice) != null) {
                return choice;
            }
        }
        return choices[choices.length - 1];
    }

    private static Object at(Map<?, ?> line, String path) {
        if (path.indexOf('.') < 0) {
            return line.get(path);
        }
        Object at = line;
        for (String step : PATHS.computeIfAbsent(path, p -> p.split("\\."))) {
            if (at instanceof Map<?, ?> map) {
                at = map.get(step);
            } else if (at instanceof List<?> list) {
                at = element(list, step);
            } else {
                return null;
            }
        }
        return at;
    }

    private static Object element(List<?> list, String index) {
        try {
            int i = Integer.parseInt(index);
            int at = i < 0 ? list.size() + i : i;
            return at >= 0 && at < list.size() ? list.get(at) : null;
        } catch (NumberFormatException notAnIndex) {
            return null;
        }
    }
}
