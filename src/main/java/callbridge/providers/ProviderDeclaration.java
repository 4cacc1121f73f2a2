package callbridge.providers;

import callbridge.ingest.EventValidator;
import callbridge.ingest.InvalidEventException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Processor;
import org.apache.camel.jsonpath.JsonPathExpression;
import org.apache.camel.util.StringHelper;

/**
 * A provider written as data: what a route file's {@code beans:} entry declares, bound by Camel, used by the route
 * template {@code bridge-provider-webhook} ({@link ProviderWebhookTemplate}) as its mapping step. It reads the webhook
 * (a parsed JSON object) and sets the properties {@link CanonicalEventBuilder} reads.
 *
 * <pre>
 * - beans:
 *     - name: acme
 *       type: callbridge.providers.ProviderDeclaration
 *       builderClass: callbridge.providers.ProviderDeclaration   # binds the tables whole (keys such as call.started)
 *       properties:
 *         eventType: $.type
 *         callId: $.call.id
 *         events: { call.answered: ANSWERED, call.hangup: { kind: ENDED, endedReason: $.hangup_cause } }
 *         metadata: { recording_url: $.recording }
 * </pre>
 *
 * <p>A value is a JSONPath into the body ({@code $.call.id}: missing is null), else Camel simple ({@code post_call},
 * {@code ${header.webhook-id}}); {@code a ?? b} is the first of them that is present. {@code events} maps each event
 * type to its kind, or to a map of its kind and what only that type carries (any key above, {@code metadata} added to
 * the common one); {@code "*"} is every other type (default OTHER). {@code metadataRest} lists objects
 * ({@code $.payload, $.payload.call}) whose fields that no key of the declaration reads go to metadata as sent (a
 * value there that is not an object is a 400); {@code required} lists fields without which an event is a 400; a
 * transcript's {@code startDefault: occurredAt} gives a line without a start the event's time. A 400 names the
 * webhook's own field: of {@code a ?? b} the one that gave the value, or, when none did, the one the webhook came
 * closest to (most of its path present); when one of them is no JSONPath (a header), all of them
 * ({@code missing required field: eventName (or header X-Webhook-Event)}). {@code dedupeKey} may be several values
 * separated by commas ({@code $.traceId ?? ${header.X-Trace}, $.eventName}): their values joined by {@code /}, or,
 * when one of them is missing, no key (the body's SHA-256). The keys ({@link #FIELDS}, {@link #LISTS}, {@link #TRANSCRIPT_KEYS} ...)
 * are checked at start, with file and line, by {@link ProviderDeclarationCheck}.
 *
 * <p>Camel's YAML DSL turns dashes in map keys into camel case ({@code end-of-call-report} becomes
 * {@code endOfCallReport}): event types, call types and roles are looked up the same way, so either spelling matches.
 */
public class ProviderDeclaration implements Processor, CamelContextAware {
    /** Keys of one canonical value each, top level or in an event entry, and the exchange property each sets. */
    static final Map<String, String> FIELDS = fields();
    /** Keys that hold a table or a group. */
    static final List<String> GROUPS = List.of("metadata", "transcript", "numbers", "events");
    /** Keys that hold JSONPaths separated by commas. */
    static final List<String> LISTS = List.of("metadataRest", "required");
    static final List<String> TRANSCRIPT_KEYS = List.of("from", "fields", "roles", "roleData", "times", "startDefault", "toolCalls",
            "toolResults");
    static final List<String> LINE_FIELDS = List.of("role", "content", "start", "end", "data", "digit");
    /** {@code roleData: { key: retell_role, roles: "dtmf, sms" }}: those provider roles kept in the message's data. */
    static final List<String> ROLE_DATA_KEYS = List.of("key", "roles");
    static final Map<String, String> TOOL_CALL_KEYS = Map.of("in", "calls", "id", "call_id", "name", "call_name", "arguments", "call_arguments");
    static final Map<String, String> TOOL_RESULT_KEYS = Map.of("in", "results", "id", "result_id", "name", "result_name", "result", "result");
    static final List<String> ROLES = List.of("bot", "user", "system", "function_call", "function_call_result");
    static final List<String> TIMES = List.of("epoch", "seconds-from-start");
    /** What a transcript line without a start time takes ({@code startDefault}). */
    static final List<String> START_DEFAULTS = List.of("occurredAt");
    /** The keys whose value is a time, and so whose field a 400 about it names. */
    private static final List<String> TIME_FIELDS = List.of("occurredAt", "startedAt", "endedAt", "duration");
    /** A plain JSONPath, {@code $.a.b}: one that {@code metadataRest} can follow and a 400 can name step by step. */
    static final Pattern DOTTED = Pattern.compile("\\$(\\.[^.\\[\\]\\s]+)+");
    static final List<String> NUMBER_KEYS = List.of("from", "to", "direction");
    static final String ANY = "*";
    static final String DEDUPE_KEY = "dedupeKey";
    /** What joins the values of a {@code dedupeKey} made of several. */
    static final String JOIN = "/";

    private final Map<String, Object> declared = new LinkedHashMap<>();
    private volatile CamelContext camelContext;
    private volatile boolean compiled;
    private Mapping common;
    private final Map<String, Mapping> byEventType = new ConcurrentHashMap<>();
    private Mapping other;
    /** Per object path ({@code payload.call}): the names of its fields that some key of the declaration reads. */
    private final Map<String, Set<String>> readFields = new LinkedHashMap<>();

    private static Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("eventType", "bridgeEventType");
        fields.put("callId", "bridgeCallId");
        fields.put("occurredAt", "bridgeOccurredAt");
        fields.put("dedupeKey", "bridgeDedupeKey");
        fields.put("from", "bridgeFrom");
        fields.put("to", "bridgeTo");
        fields.put("direction", "bridgeDirection");
        fields.put("startedAt", "bridgeCallStartedAt");
        fields.put("endedAt", "bridgeCallEndedAt");
        fields.put("duration", "bridgeCallDuration");
        fields.put("endedReason", "bridgeEndedReason");
        fields.put("error", "bridgeError");
        fields.put("test", "bridgeTest");
        fields.put("runId", "bridgeRunId");
        fields.put("traceId", "bridgeTraceId");
        fields.put("closeWait", "bridgeCloseWait");
        fields.put("completesCall", "bridgeCompletesCall");
        fields.put("metadataObject", "bridgeMetadata");
        return Map.copyOf(fields);
    }

    /** Camel's builder step ({@code builderClass}): the declaration is its own builder. */
    public ProviderDeclaration build() {
        if (!(declared.get("eventType") instanceof String)) {
            throw new IllegalArgumentException("a provider declaration needs eventType (a JSONPath such as $.type, or a constant)");
        }
        if (camelContext != null) {
            compile(camelContext);     // a JSONPath Camel cannot compile stops the start, not the first webhook
        }
        return this;
    }

    /** Compiles the sources once, with the context's languages and placeholders. */
    private void compile(CamelContext camel) {
        synchronized (this) {
            if (compiled) {
                return;
            }
            if (camelContext == null) {
                camelContext = camel;
            }
            compileMappings();
            compiled = true;
        }
    }

    private void compileMappings() {
        collectReadFields(declared, null);
        common = new Mapping(declared);
        Object events = declared.get("events");
        if (events instanceof Map<?, ?> table) {
            table.forEach((type, entry) -> {
                Map<String, Object> merged = new LinkedHashMap<>(declared);
                merged.remove("events");
                if (entry instanceof Map<?, ?> own) {
                    own.forEach((key, value) -> merged.merge(String.valueOf(key), value, ProviderDeclaration::overlay));
                } else {
                    merged.put("kind", entry);
                }
                Mapping mapping = new Mapping(merged);
                if (ANY.equals(type)) {
                    other = mapping;
                } else {
                    byEventType.put(fold(String.valueOf(type)), mapping);
                }
            });
        }
        if (other == null) {
            Map<String, Object> merged = new LinkedHashMap<>(declared);
            merged.put("kind", "OTHER");
            other = new Mapping(merged);
        }
    }

    /**
     * Every plain JSONPath the declaration reads (in any event entry), as "this object's field is mapped": {@code
     * $.payload.call.id} marks {@code call} of {@code payload} and {@code id} of {@code payload.call}. A transcript's
     * line fields count as fields of its {@code from}. What {@code metadataRest} leaves out.
     */
    private void collectReadFields(Object value, String transcriptFrom) {
        if (value instanceof String text) {
            for (String choice : text.split("\\s+\\?\\?\\s+|,")) {   // a ?? b, and metadataRest's and required's lists
                String one = choice.trim();
                if (DOTTED.matcher(one).matches()) {
                    markRead(one.substring(2));
                } else if (transcriptFrom != null && !one.isEmpty() && !one.startsWith("$") && !one.contains("${")) {
                    markRead(transcriptFrom + "." + one);
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            String from = map.get("from") instanceof String f && map.containsKey("fields") && DOTTED.matcher(f.trim()).matches()
                    ? f.trim().substring(2) : null;
            map.forEach((key, item) -> {
                boolean lineFields = from != null && List.of("fields", "toolCalls", "toolResults").contains(String.valueOf(key));
                collectReadFields(item, lineFields ? from : transcriptFrom);
            });
        }
    }

    private void markRead(String dottedPath) {
        String[] steps = dottedPath.split("\\.");
        String parent = "";
        for (String step : steps) {
            readFields.computeIfAbsent(parent, p -> new HashSet<>()).add(step);
            parent = parent.isEmpty() ? step : parent + "." + step;
        }
    }

    /** An event entry's metadata adds to the common one; any other key replaces it. */
    private static Object overlay(Object common, Object own) {
        if (common instanceof Map<?, ?> base && own instanceof Map<?, ?> extra) {
            Map<Object, Object> both = new LinkedHashMap<>(base);
            both.putAll(extra);
            return both;
        }
        return own;
    }

    @Override
    public void process(Exchange exchange) {
        if (!compiled) {
            compile(exchange.getContext());
        }
        Source eventType = common.sources.get("eventType");
        Object type = eventType.read(exchange);
        if (type == null || String.valueOf(type).isBlank()) {
            throw InvalidEventException.missingField(eventType.field(exchange));
        }
        exchange.setProperty(EventValidator.EVENT_TYPE_FIELD, eventType.field(exchange));
        Mapping mapping = byEventType.getOrDefault(fold(String.valueOf(type)), other);
        mapping.apply(exchange);
        exchange.setProperty("bridgeEventType", String.valueOf(type));
    }

    /** What Camel's YAML DSL does to a map key: dashes to camel case. */
    static String fold(String key) {
        return StringHelper.dashToCamelCase(key);
    }

    /** One event type's mapping, compiled: its sources, metadata, numbers and transcript. */
    private final class Mapping {
        private final String kind;
        private final Map<String, Source> sources = new LinkedHashMap<>();
        private final Map<String, Source> metadata = new LinkedHashMap<>();
        private final Source numbersBy;
        private final Map<String, Map<String, Source>> numbers = new LinkedHashMap<>();
        private final Source transcript;
        private final String transcriptFields;
        private final String roles;
        private final String times;
        private final String startDefault;
        private final List<String> metadataRest;
        private final List<Source> required = new ArrayList<>();

        Mapping(Map<String, Object> declared) {
            kind = declared.containsKey("kind") ? String.valueOf(declared.get("kind")).trim() : null;
            declared.forEach((key, value) -> {
                if (FIELDS.containsKey(key) && value instanceof String text) {
                    sources.put(key, DEDUPE_KEY.equals(key) ? joined(text) : source(text));
                }
            });
            if (declared.get("metadata") instanceof Map<?, ?> facts) {
                facts.forEach((name, value) -> metadata.put(String.valueOf(name), source(String.valueOf(value))));
            }
            Map<?, ?> byType = declared.get("numbers") instanceof Map<?, ?> m ? m : Map.of();
            numbersBy = byType.get("by") instanceof String by ? source(by) : null;
            byType.forEach((type, entry) -> {
                if (!"by".equals(type) && entry instanceof Map<?, ?> parts) {
                    Map<String, Source> compiled = new LinkedHashMap<>();
                    parts.forEach((key, value) -> compiled.put(String.valueOf(key), source(String.valueOf(value))));
                    numbers.put(ANY.equals(type) ? ANY : fold(String.valueOf(type)), compiled);
                }
            });
            Map<?, ?> lines = declared.get("transcript") instanceof Map<?, ?> t ? t : Map.of();
            transcript = lines.get("from") instanceof String from ? source(from) : null;
            transcriptFields = transcript == null ? null : fieldSpec(lines);
            roles = transcript == null ? null : spec(lines.get("roles") instanceof Map<?, ?> r ? r : Map.of(ANY, "system"), Map.of());
            times = lines.get("times") instanceof String t ? t : null;
            startDefault = transcript != null && lines.get("startDefault") instanceof String d ? d.trim() : null;
            metadataRest = paths(declared.get("metadataRest")).stream().map(path -> path.substring(2)).toList();
            paths(declared.get("required")).forEach(path -> required.add(source(path)));
        }

        void apply(Exchange exchange) {
            if (kind != null) {
                exchange.setProperty("bridgeEventKind", kind);
            }
            Map<String, Object> rest = rest(exchange);
            if (!rest.isEmpty()) {
                exchange.setProperty(CanonicalEventBuilder.METADATA_REST, rest);
            }
            sources.forEach((key, source) -> {
                if (!"eventType".equals(key)) {
                    Object value = source.read(exchange);
                    if ("callId".equals(key) && (value instanceof Map<?, ?> || value instanceof List<?>)) {
                        throw new InvalidEventException("call id must be a string or a number");
                    }
                    exchange.setProperty(FIELDS.get(key), "callId".equals(key) && value != null ? String.valueOf(value) : value);
                    if (TIME_FIELDS.contains(key)) {
                        exchange.setProperty(FIELDS.get(key) + "Field", source.field(exchange));
                    }
                }
            });
            Source callId = sources.get("callId");
            if (callId != null) {
                exchange.setProperty(EventValidator.CALL_ID_FIELD, callId.field(exchange));
                if (kind != null && !"OTHER".equalsIgnoreCase(kind) && exchange.getProperty(FIELDS.get("callId")) == null) {
                    throw InvalidEventException.missingField(callId.field(exchange));   // before any required field
                }
            }
            for (Source field : required) {
                if (field.read(exchange) == null) {
                    throw InvalidEventException.missingField(field.field(exchange));
                }
            }
            metadata.forEach((name, source) -> exchange.setProperty(CanonicalEventBuilder.META_PREFIX + name, source.read(exchange)));
            if (numbersBy != null) {
                Object by = numbersBy.read(exchange);
                Map<String, Source> parts = by == null ? null : numbers.get(fold(String.valueOf(by)));
                if (parts == null) {
                    parts = numbers.getOrDefault(ANY, Map.of());
                }
                parts.forEach((key, source) -> exchange.setProperty(FIELDS.get(key), source.read(exchange)));
            }
            if (transcript != null) {
                exchange.setProperty("bridgeTranscript", transcript.read(exchange));
                exchange.setProperty("bridgeTranscriptField", transcript.field(exchange));
                exchange.setProperty("bridgeTranscriptFields", transcriptFields);
                exchange.setProperty("bridgeRoles", roles);
                if (times != null) {
                    exchange.setProperty("bridgeTranscriptTimes", times);
                }
                if (startDefault != null) {
                    exchange.setProperty("bridgeTranscriptStartDefault", startDefault);
                }
            }
        }

        /** The fields of the {@code metadataRest} objects that no key reads, as sent; later objects win. */
        private Map<String, Object> rest(Exchange exchange) {
            if (metadataRest.isEmpty()) {
                return Map.of();
            }
            Map<String, Object> rest = new LinkedHashMap<>();
            Object body = exchange.getMessage().getBody();
            for (String path : metadataRest) {
                Object object = at(body, path.split("\\."));
                if (object == null) {
                    continue;
                }
                if (!(object instanceof Map<?, ?> fields)) {
                    throw new InvalidEventException("field " + path + " must be a JSON object");
                }
                Set<String> read = readFields.getOrDefault(path, Set.of());
                fields.forEach((key, value) -> {
                    if (!read.contains(String.valueOf(key))) {
                        rest.put(String.valueOf(key), value);
                    }
                });
            }
            return rest;
        }
    }

    /** JSONPaths separated by commas, as declared. */
    private static List<String> paths(Object declared) {
        return declared instanceof String text ? Arrays.stream(text.split(",")).map(String::trim).toList() : List.of();
    }

    /** The value at the steps of a plain path, null when a step is missing or not an object. */
    private static Object at(Object root, String[] steps) {
        Object at = root;
        for (String step : steps) {
            if (!(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(step);
        }
        return at;
    }

    /** How many steps of the path the body has (a 400 names the choice the webhook came closest to). */
    private static int present(Object root, String[] steps) {
        Object at = root;
        int found = 0;
        for (String step : steps) {
            if (!(at instanceof Map<?, ?> map) || map.get(step) == null) {
                return found;
            }
            at = map.get(step);
            found++;
        }
        return found;
    }

    /** The transcript's field names in the form {@link TranscriptReader} takes. */
    private static String fieldSpec(Map<?, ?> lines) {
        Map<Object, Object> flat = new LinkedHashMap<>();
        if (lines.get("fields") instanceof Map<?, ?> fields) {
            flat.putAll(fields);
        }
        if (lines.get("toolCalls") instanceof Map<?, ?> calls) {
            calls.forEach((key, value) -> flat.put(TOOL_CALL_KEYS.getOrDefault(String.valueOf(key), String.valueOf(key)), value));
        }
        if (lines.get("toolResults") instanceof Map<?, ?> results) {
            results.forEach((key, value) -> flat.put(TOOL_RESULT_KEYS.getOrDefault(String.valueOf(key), String.valueOf(key)), value));
        }
        if (lines.get("roleData") instanceof Map<?, ?> roleData && roleData.get("key") != null) {
            flat.put("roleDataKey", String.valueOf(roleData.get("key")).trim());
            flat.put("roleDataRoles", String.join("|", parts(String.valueOf(roleData.get("roles")))));   // the spec is split at commas
        }
        return spec(flat, Map.of());
    }

    private static String spec(Map<?, ?> map, Map<String, String> rename) {
        StringJoiner joined = new StringJoiner(",");
        map.forEach((key, value) -> joined.add(rename.getOrDefault(String.valueOf(key), String.valueOf(key)) + "=" + value));
        return joined.toString();
    }

    /**
     * The values of {@code a, b} (commas inside {@code ${...}}, brackets or parentheses do not count), as declared:
     * the parts of a {@code dedupeKey} made of several values.
     */
    static List<String> parts(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if ((c == '}' || c == ']' || c == ')') && depth > 0) {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(from, i).trim());
                from = i + 1;
            }
        }
        parts.add(text.substring(from).trim());
        return parts;
    }

    /** {@code a, b}: the values joined by {@code /}, or none when one of them is missing; one value: {@link #source}. */
    private Source joined(String declaredText) {
        List<String> declaredParts = parts(declaredText);
        if (declaredParts.size() == 1) {
            return source(declaredText);
        }
        List<Source> all = declaredParts.stream().map(this::source).toList();
        return new Source() {
            @Override
            public Object read(Exchange exchange) {
                StringJoiner key = new StringJoiner(JOIN);
                for (Source part : all) {
                    Object value = part.read(exchange);
                    if (value == null) {
                        return null;
                    }
                    key.add(String.valueOf(value));
                }
                return key.toString();
            }

            @Override
            public String field(Exchange exchange) {
                for (Source part : all) {
                    if (part.read(exchange) == null) {
                        return part.field(exchange);
                    }
                }
                StringJoiner names = new StringJoiner(", ");
                all.forEach(part -> names.add(part.field(exchange)));
                return names.toString();
            }
        };
    }

    /** A value: JSONPath ({@code $.a.b}) or Camel simple; {@code a ?? b}: the first present. */
    interface Source {
        Object read(Exchange exchange);

        /**
         * The field as a 400 names it ({@code message.call.id}): of {@code a ?? b} the one that gave the value, else
         * the one of which the webhook has most (the first on a tie).
         */
        String field(Exchange exchange);
    }

    private Source source(String declaredText) {
        String text = camelContext.resolvePropertyPlaceholders(declaredText);
        List<Expression> choices = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String[]> steps = new ArrayList<>();
        for (String choice : text.split("\\s+\\?\\?\\s+")) {
            String one = choice.trim();
            if (one.equals("$") || one.startsWith("$.") || one.startsWith("$[")) {
                JsonPathExpression path = new JsonPathExpression(one);
                path.setSuppressExceptions(true);
                path.init(camelContext);
                choices.add(path);
                names.add(one.startsWith("$.") ? one.substring(2) : one);
                steps.add(DOTTED.matcher(one).matches() ? one.substring(2).split("\\.") : new String[0]);
            } else {
                choices.add(camelContext.resolveLanguage("simple").createExpression(one));
                names.add(one.startsWith("${header.") && one.endsWith("}")
                        ? "header " + one.substring("${header.".length(), one.length() - 1) : one);
                steps.add(new String[0]);
            }
        }
        boolean elsewhere = names.size() > 1 && choices.stream().anyMatch(choice -> !(choice instanceof JsonPathExpression));
        return new Source() {
            @Override
            public Object read(Exchange exchange) {
                int given = given(exchange);
                return given < 0 ? null : value(exchange, given);
            }

            @Override
            public String field(Exchange exchange) {
                int given = given(exchange);
                if (given >= 0) {
                    return names.get(given);
                }
                Object body = exchange.getMessage().getBody();
                int closest = 0;
                for (int i = 1; i < names.size(); i++) {
                    if (present(body, steps.get(i)) > present(body, steps.get(closest))) {
                        closest = i;
                    }
                }
                if (!elsewhere) {
                    return names.get(closest);
                }
                // a header and a body field cannot be compared by how much of them is there: name them all
                StringJoiner others = new StringJoiner(" or ", names.get(closest) + " (or ", ")");
                for (int i = 0; i < names.size(); i++) {
                    if (i != closest) {
                        others.add(names.get(i));
                    }
                }
                return others.toString();
            }

            private int given(Exchange exchange) {
                for (int i = 0; i < choices.size(); i++) {
                    if (value(exchange, i) != null) {
                        return i;
                    }
                }
                return -1;
            }

            private Object value(Exchange exchange, int i) {
                Object value = choices.get(i).evaluate(exchange, Object.class);
                return value == null || value instanceof String s && s.isEmpty() ? null : value;
            }
        };
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    // what a route file declares (Camel binds these; ProviderDeclarationCheck has checked them, with lines)
    public void setEventType(String value) { declared.put("eventType", value); }
    public void setCallId(String value) { declared.put("callId", value); }
    public void setOccurredAt(String value) { declared.put("occurredAt", value); }
    public void setDedupeKey(String value) { declared.put("dedupeKey", value); }
    public void setFrom(String value) { declared.put("from", value); }
    public void setTo(String value) { declared.put("to", value); }
    public void setDirection(String value) { declared.put("direction", value); }
    public void setStartedAt(String value) { declared.put("startedAt", value); }
    public void setEndedAt(String value) { declared.put("endedAt", value); }
    public void setDuration(String value) { declared.put("duration", value); }
    public void setEndedReason(String value) { declared.put("endedReason", value); }
    public void setError(String value) { declared.put("error", value); }
    public void setTest(String value) { declared.put("test", value); }
    public void setRunId(String value) { declared.put("runId", value); }
    public void setTraceId(String value) { declared.put("traceId", value); }
    public void setCloseWait(String value) { declared.put("closeWait", value); }
    public void setCompletesCall(String value) { declared.put("completesCall", value); }
    public void setMetadataObject(String value) { declared.put("metadataObject", value); }
    public void setMetadata(Map<String, Object> value) { declared.put("metadata", value); }
    public void setTranscript(Map<String, Object> value) { declared.put("transcript", value); }
    public void setNumbers(Map<String, Object> value) { declared.put("numbers", value); }
    public void setEvents(Map<String, Object> value) { declared.put("events", value); }
    public void setMetadataRest(String value) { declared.put("metadataRest", value); }
    public void setRequired(String value) { declared.put("required", value); }
}
