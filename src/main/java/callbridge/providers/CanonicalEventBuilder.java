package callbridge.providers;

import callbridge.calls.CallEvent;
import callbridge.calls.CallEventKind;
import callbridge.calls.TranscriptLine;
import callbridge.ingest.InvalidEventException;
import callbridge.ingest.WebhookGuard;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/**
 * The building block a provider's YAML route ends with: it reads the canonical fields the route
 * set as exchange properties (with JSONPath or simple) and makes the body a {@link CallEvent}.
 *
 * <table>
 * <tr><td>{@code bridgeEventType}</td><td>the provider's event name (required)</td></tr>
 * <tr><td>{@code bridgeEventKind}</td><td>STARTED, RINGING, ANSWERED, TRANSCRIPT, ENDED, ERROR, UPDATE, OTHER (default OTHER)</td></tr>
 * <tr><td>{@code bridgeCallId}</td><td>the provider's call id (required but for OTHER); {@code bridgeCallIdField} names it in the 400</td></tr>
 * <tr><td>{@code bridgeOccurredAt}</td><td>event time: ISO 8601, Unix seconds or milliseconds</td></tr>
 * <tr><td>{@code bridgeFrom}, {@code bridgeTo}, {@code bridgeDirection}, {@code bridgeEndedReason}, {@code bridgeError}</td><td>call facts</td></tr>
 * <tr><td>{@code bridgeCallStartedAt}, {@code bridgeCallEndedAt}</td><td>the call's own times when the provider states them</td></tr>
 * <tr><td>{@code bridgeCallDuration}</td><td>the call's length in seconds, when the provider states a start and a
 *   length but no end</td></tr>
 * <tr><td>{@code bridgeTranscript}</td><td>a list of line objects (or one object); {@code bridgeTranscriptFields} maps them,
 *   e.g. {@code role=role,content=content,start=start_ms,end=end_ms,data=data}, tool calls and their results too
 *   ({@link TranscriptReader}); {@code bridgeRoles} maps roles, e.g. {@code agent=bot,user=user,*=system}</td></tr>
 * <tr><td>{@code bridgeTranscriptField}</td><td>names the transcript's field in a 400 ({@code payload.transcript[1].at});
 *   {@code bridgeTranscriptStartDefault} {@code occurredAt}: a line without a start takes the event time</td></tr>
 * <tr><td>{@code bridgeOccurredAtField}, {@code bridgeCallStartedAtField} ...</td><td>the webhook's field a time came
 *   from, for the 400 (else the property is named)</td></tr>
 * <tr><td>{@code bridgeTranscriptTimes}</td><td>{@code epoch} (default: line times are times) or {@code seconds-from-start}
 *   (seconds since {@code bridgeCallStartedAt})</td></tr>
 * <tr><td>{@code bridgeCloseWait}</td><td>for an end: wait this long for late events instead of the grace (e.g. {@code 45s})</td></tr>
 * <tr><td>{@code bridgeCompletesCall}</td><td>true: the event an ended call waits for (closes it at once)</td></tr>
 * <tr><td>{@code bridgeTest}</td><td>true for provider test-button events</td></tr>
 * <tr><td>{@code bridgeRunId}</td><td>Cekura's run id, when the provider carries one: sent as the integer {@code run_id}
 *   when it is digits, else left out and kept in {@code metadata.run_id_raw}</td></tr>
 * <tr><td>{@code bridgeTraceId}</td><td>a W3C trace id (32 lowercase hex) for Cekura's {@code trace_id}; unmapped (or
 *   malformed), the trace id of the webhook's W3C {@code traceparent} header is used, when it has a well-formed one</td></tr>
 * <tr><td>{@code bridgeMetadata}</td><td>a JSON object whose fields all go into Cekura's {@code metadata}</td></tr>
 * <tr><td>{@code bridgeMetadataRest}</td><td>a map of facts kept as sent (nulls too), below {@code meta.*}</td></tr>
 * <tr><td>{@code meta.<key>}</td><td>any number of facts for Cekura's {@code metadata.<key>} (null ones are left out)</td></tr>
 * </table>
 *
 * <p>A time that is neither ISO 8601 nor a plain Unix number is a 400 naming the property, e.g.
 * {@code bridgeOccurredAt (event time)}. In a completion hook (no webhook in the exchange: a provider API's
 * answer read before the call is assembled) such a time is left out instead: one odd field in an API's answer
 * must not keep the call from Cekura.
 */
@Component("bridgeCanonicalEvent")
public class CanonicalEventBuilder implements Processor {
    public static final String META_PREFIX = "meta.";
    /** A map of facts kept as the provider sent them (a declaration's {@code metadataRest}); {@code meta.*} outranks it. */
    public static final String METADATA_REST = "bridgeMetadataRest";
    private static final String DEFAULT_FIELDS = "role=role,content=content,start=start_ms,end=end_ms,data=data";

    private final Map<String, Map<String, String>> parsedSpecs = new ConcurrentHashMap<>();

    @Override
    public void process(Exchange exchange) {
        build(exchange);
    }

    public void build(Exchange exchange) {
        String provider = exchange.getProperty(WebhookGuard.PROVIDER, String.class);
        String eventType = text(exchange, "bridgeEventType");
        if (eventType == null) {
            throw new InvalidEventException("missing required field: event type");
        }
        CallEventKind kind = kind(text(exchange, "bridgeEventKind"));
        String callId = text(exchange, "bridgeCallId");
        if (callId == null && kind != CallEventKind.OTHER) {
            String field = text(exchange, "bridgeCallIdField");
            throw InvalidEventException.missingField(field != null ? field : "call id");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (exchange.getProperty("bridgeMetadata") instanceof Map<?, ?> platformFacts) {
            platformFacts.forEach((key, value) -> {
                if (!isEmpty(value)) {
                    metadata.put(String.valueOf(key), value);
                }
            });
        }
        if (exchange.getProperty(METADATA_REST) instanceof Map<?, ?> rest) {
            rest.forEach((key, value) -> metadata.put(String.valueOf(key), value));
        }
        exchange.getProperties().forEach((name, value) -> {
            if (name.startsWith(META_PREFIX) && !isEmpty(value)) {
                metadata.put(name.substring(META_PREFIX.length()), value);
            }
        });
        String closeWait = text(exchange, "bridgeCloseWait");
        Instant callStartedAt = time(exchange, "bridgeCallStartedAt", "call start");
        Instant callEndedAt = time(exchange, "bridgeCallEndedAt", "call end");
        if (callEndedAt == null && callStartedAt != null) {
            Object length = exchange.getProperty("bridgeCallDuration");
            callEndedAt = lenientOutsideWebhooks(fromWebhook(exchange),
                    () -> ProviderTimes.plusSeconds(callStartedAt, length, "bridgeCallDuration (call length in seconds)"));
        }
        exchange.getMessage().setBody(new CallEvent(
                provider,
                callId,
                kind,
                eventType,
                time(exchange, "bridgeOccurredAt", "event time"),
                text(exchange, "bridgeFrom"),
                text(exchange, "bridgeTo"),
                text(exchange, "bridgeDirection"),
                text(exchange, "bridgeEndedReason"),
                text(exchange, "bridgeError"),
                transcript(exchange, callStartedAt),
                metadata,
                Boolean.parseBoolean(text(exchange, "bridgeTest")),
                callStartedAt,
                callEndedAt,
                closeWait == null ? null : DurationStyle.detectAndParse(closeWait),
                Boolean.parseBoolean(text(exchange, "bridgeCompletesCall")),
                text(exchange, "bridgeRunId"),
                TraceIds.traceId(text(exchange, "bridgeTraceId")),
                // only a webhook's own header: in a completion hook the headers are an API's answer
                fromWebhook(exchange) ? TraceIds.ofTraceparent(exchange.getMessage().getHeader(TraceIds.TRACEPARENT)) : null));
    }

    private List<TranscriptLine> transcript(Exchange exchange, Instant callStartedAt) {
        Object raw = exchange.getProperty("bridgeTranscript");
        List<?> items = raw instanceof List<?> list ? list : raw instanceof Map<?, ?> one ? List.of(one) : List.of();
        if (items.isEmpty()) {
            return List.of();
        }
        Map<String, String> fields = spec(exchange.getProperty("bridgeTranscriptFields", DEFAULT_FIELDS, String.class));
        String named = text(exchange, "bridgeTranscriptField");
        boolean one = raw instanceof Map<?, ?>;
        TranscriptReader.LineField lineField = named == null
                ? TranscriptReader.PROPERTY_NAMES
                : (i, field, meaning) -> named + (one ? "" : "[" + i + "]") + "." + field;
        Map<String, String> roles = spec(exchange.getProperty("bridgeRoles", "*=system", String.class));
        boolean webhook = fromWebhook(exchange);
        TranscriptReader.LineTime lineTime = switch (exchange.getProperty("bridgeTranscriptTimes", "epoch", String.class).trim()) {
            case "epoch" -> (value, field) -> millis(webhook, value, field);
            case "seconds-from-start" -> (value, field) -> {
                Instant at = lenientOutsideWebhooks(webhook,
                        () -> ProviderTimes.plusSeconds(callStartedAt, value, field + ", seconds from the call's start"));
                return at == null ? null : at.toEpochMilli();
            };
            default -> throw new IllegalStateException("route sets bridgeTranscriptTimes to '"
                    + exchange.getProperty("bridgeTranscriptTimes") + "'; use epoch or seconds-from-start");
        };
        List<TranscriptLine> lines = new TranscriptReader(fields, roles, lineTime, lineField).read(items);
        if ("occurredAt".equals(text(exchange, "bridgeTranscriptStartDefault"))) {
            Instant occurredAt = time(exchange, "bridgeOccurredAt", "event time");
            if (occurredAt != null) {
                lines = lines.stream().map(line -> line.startMs() != null ? line
                        : new TranscriptLine(line.role(), line.content(), occurredAt.toEpochMilli(), line.endMs(), line.data())).toList();
            }
        }
        return lines;
    }

    /** A 400 names the webhook's field when the route says which it was ({@code <property>Field}, as a declaration does). */
    private static Instant time(Exchange exchange, String property, String meaning) {
        String field = text(exchange, property + "Field");
        return lenientOutsideWebhooks(fromWebhook(exchange), () -> ProviderTimes.instant(exchange.getProperty(property),
                field != null ? field : property + " (" + meaning + ")"));
    }

    private static Long millis(boolean webhook, Object value, String field) {
        return lenientOutsideWebhooks(webhook, () -> ProviderTimes.epochMillis(value, field));
    }

    private static <T> T lenientOutsideWebhooks(boolean webhook, Supplier<T> read) {
        try {
            return read.get();
        } catch (InvalidEventException unreadable) {
            if (webhook) {
                throw unreadable;
            }
            return null;
        }
    }

    private static boolean fromWebhook(Exchange exchange) {
        return exchange.getProperty(WebhookGuard.RAW_BODY) != null;
    }

    /** "a=b,c=d" as a map; parsed once per distinct text. */
    private Map<String, String> spec(String text) {
        return parsedSpecs.computeIfAbsent(text, t -> {
            Map<String, String> map = new LinkedHashMap<>();
            for (String pair : t.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
            return map;
        });
    }

    private static boolean isEmpty(Object value) {
        return value == null
                || value instanceof String s && s.isEmpty()
                || value instanceof Map<?, ?> m && m.isEmpty();
    }

    private static CallEventKind kind(String text) {
        if (text == null) {
            return CallEventKind.OTHER;
        }
        try {
            return CallEventKind.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new IllegalStateException("route sets bridgeEventKind to '" + text + "'; use one of "
                    + java.util.Arrays.toString(CallEventKind.values()));
        }
    }

    private static String text(Exchange exchange, String property) {
        Object value = exchange.getProperty(property);
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value);
        return text.isBlank() ? null : text;
    }

}
