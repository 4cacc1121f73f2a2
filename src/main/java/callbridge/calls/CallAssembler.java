package callbridge.calls;

import callbridge.claims.CallKey;
import callbridge.delivery.CekuraCall;
import callbridge.delivery.CekuraMessageTimes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Folds a call's canonical events, in any arrival order and with repeats, into one Cekura call.
 * Pure: the same events give the same call.
 */
@Component("bridgeCallAssembler")
public class CallAssembler {
    /** Cekura: "+" then digits, 15 characters at most. */
    private static final Pattern CEKURA_PHONE = Pattern.compile("\\+\\d{1,14}");
    /** Cekura's run_id: an integer; digits only (no sign, no spaces), within a long. */
    private static final Pattern RUN_ID = Pattern.compile("\\d{1,18}");
    private static final int MAX_ID = 255;

    public CekuraCall assemble(StoredCall call) {
        return assemble(call, Map.of(), CekuraMessageTimes.EPOCH_MS);
    }

    /**
     * With facts the bridge itself knows about the call (e.g. the outbound trigger that placed it), message times in
     * the unit Cekura is to get ({@code CEKURA_MESSAGE_TIMES}).
     */
    public CekuraCall assemble(StoredCall call, Map<String, Object> bridgeFacts, CekuraMessageTimes messageTimes) {
        List<CallEvent> events = call.events();
        Instant startedAt = stated(events, CallEvent::callStartedAt)
                .or(() -> firstTime(events, CallEventKind.ANSWERED))
                .or(() -> firstTime(events, CallEventKind.STARTED))
                .or(() -> firstTime(events, CallEventKind.RINGING))
                .orElseGet(() -> earliest(events, call.firstEventAt()));
        CallEvent end = events.stream().filter(e -> e.kind() == CallEventKind.ENDED).findFirst().orElse(null);
        Instant endedAt = stated(events, CallEvent::callEndedAt)
                .orElseGet(() -> end != null && end.occurredAt() != null ? end.occurredAt() : latest(events, call.lastEventAt()));
        if (endedAt.isBefore(startedAt)) {
            endedAt = startedAt;
        }

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("provider", call.key().provider());
        String direction = first(events, CallEvent::direction);
        if (direction != null) {
            metadata.put("direction", direction);
        }
        for (CallEvent event : events) {
            // a later fact about the call replaces an earlier one (an API summary comes last)
            event.metadata().forEach((key, value) -> {
                if (!"provider".equals(key) && value != null) {
                    metadata.put(key, value);
                }
            });
        }
        List<String> errors = events.stream().filter(e -> e.kind() == CallEventKind.ERROR)
                .map(CallEvent::error).filter(Objects::nonNull).distinct().toList();
        if (errors.size() == 1) {
            metadata.put("error", errors.get(0));
        } else if (errors.size() > 1) {
            metadata.put("error", errors.get(errors.size() - 1));
            metadata.put("errors", errors);
        }
        if (end == null) {
            metadata.put("closed_by", "idle-timeout");
        }
        if (call.test()) {
            metadata.put("is_test", true);
        }
        metadata.putAll(bridgeFacts);
        Long runId = runId(last(events, CallEvent::runId), metadata);
        String traceId = Optional.ofNullable(first(events, CallEvent::traceId)).orElseGet(() -> first(events, CallEvent::headerTraceId));
        String from = phone(first(events, CallEvent::from), "from_number_raw", metadata);
        String to = phone(first(events, CallEvent::to), "to_number_raw", metadata);
        String endedReason = end != null && end.endedReason() != null ? end.endedReason()
                : last(events, CallEvent::endedReason);

        return new CekuraCall(
                cekuraId(call.key()),
                startedAt.toString(),
                endedAt.toString(),
                messages(events, end, messageTimes, startedAt),
                to,
                from,
                metadata,
                endedReason != null ? endedReason : "unknown",
                runId,
                traceId);
    }

    /** The run id as Cekura's integer; anything else is left out and kept as sent in {@code metadata.run_id_raw}. */
    private static Long runId(String raw, Map<String, Object> metadata) {
        if (raw == null) {
            return null;
        }
        if (RUN_ID.matcher(raw).matches()) {
            return Long.valueOf(raw);
        }
        metadata.put("run_id_raw", raw);
        return null;
    }

    /**
     * The fullest whole-call transcript (carried by an end or by an update such as a transfer or an API
     * summary; the longest wins, the later on a tie); without one, the live lines in the order spoken.
     */
    private static List<CekuraCall.Message> messages(List<CallEvent> events, CallEvent end, CekuraMessageTimes unit, Instant startedAt) {
        List<TranscriptLine> lines = null;
        for (CallEvent event : events) {
            boolean whole = event.kind() == CallEventKind.ENDED || event.kind() == CallEventKind.UPDATE;
            if (whole && !event.transcript().isEmpty() && (lines == null || event.transcript().size() >= lines.size())) {
                lines = event.transcript();
            }
        }
        if (lines == null) {
            List<TimedLine> live = new ArrayList<>();
            int order = 0;
            for (CallEvent event : events) {
                if (event.kind() == CallEventKind.TRANSCRIPT) {
                    for (TranscriptLine line : event.transcript()) {
                        Instant at = line.startMs() != null ? Instant.ofEpochMilli(line.startMs()) : event.occurredAt();
                        live.add(new TimedLine(at, order++, line));
                    }
                }
            }
            live.sort(Comparator.comparing(TimedLine::at, Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparingInt(TimedLine::order));
            lines = live.stream().map(TimedLine::line).toList();
        }
        return lines.stream()
                .map(l -> new CekuraCall.Message(l.role(), l.content(), unit.of(l.startMs(), startedAt), unit.of(l.endMs(), startedAt), l.data()))
                .toList();
    }

    private record TimedLine(Instant at, int order, TranscriptLine line) {
    }

    /** Unique across providers, at most 255 characters (long provider ids are hashed). */
    static String cekuraId(CallKey key) {
        String id = key.provider() + "-" + key.callId();
        if (id.length() <= MAX_ID) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.callId().getBytes(StandardCharsets.UTF_8));
            return key.provider() + "-sha256-" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static String phone(String raw, String rawKey, Map<String, Object> metadata) {
        if (raw == null) {
            return null;
        }
        if (CEKURA_PHONE.matcher(raw).matches()) {
            return raw;
        }
        metadata.put(rawKey, raw);
        return null;
    }

    /** The call time the provider stated last (an API summary outranks a webhook's). */
    private static java.util.Optional<Instant> stated(List<CallEvent> events, java.util.function.Function<CallEvent, Instant> field) {
        Instant found = null;
        for (CallEvent event : events) {
            if (field.apply(event) != null) {
                found = field.apply(event);
            }
        }
        return java.util.Optional.ofNullable(found);
    }

    private static String last(List<CallEvent> events, java.util.function.Function<CallEvent, String> field) {
        String found = null;
        for (CallEvent event : events) {
            if (field.apply(event) != null) {
                found = field.apply(event);
            }
        }
        return found;
    }

    private static java.util.Optional<Instant> firstTime(List<CallEvent> events, CallEventKind kind) {
        return events.stream().filter(e -> e.kind() == kind).map(CallEvent::occurredAt).filter(Objects::nonNull)
                .min(Comparator.naturalOrder());
    }

    private static Instant earliest(List<CallEvent> events, Instant fallback) {
        return events.stream().map(CallEvent::occurredAt).filter(Objects::nonNull).min(Comparator.naturalOrder())
                .orElse(fallback);
    }

    private static Instant latest(List<CallEvent> events, Instant fallback) {
        return events.stream().map(CallEvent::occurredAt).filter(Objects::nonNull).max(Comparator.naturalOrder())
                .orElse(fallback);
    }

    private static String first(List<CallEvent> events, java.util.function.Function<CallEvent, String> field) {
        return events.stream().map(field).filter(Predicate.not(Objects::isNull)).findFirst().orElse(null);
    }
}
