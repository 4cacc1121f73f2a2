package callbridge.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The body of one POST built from the calls' recorded payloads (each a one-call envelope,
 * {@code {"agent_id": ..., "calls": [call]}}): one call is sent exactly as recorded; several share one envelope. A call
 * joins only when its envelope is the first call's (the same {@code agent_id}, or, without one, the same having or not
 * of a {@code run_id}: Cekura rejects the whole POST otherwise) and while the body stays under
 * {@value #MAX_BYTES} bytes; a call that does not join waits in the store for the next POST. Numbers keep their exact
 * written form.
 */
final class BatchBody {
    /** A batch stops growing here; a single call of any size is still sent alone. */
    static final int MAX_BYTES = 1 << 20;
    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private String first;
    private ObjectNode envelope;
    private ArrayNode calls;
    private boolean withRunIds;
    private int bytes;
    private int size;

    /** Adds the call if it fits this POST; false leaves it for a later one. */
    boolean add(String payload) {
        int payloadBytes = payload.getBytes(StandardCharsets.UTF_8).length;
        if (size == 0) {
            first = payload;
            bytes = payloadBytes;
            size = 1;
            return true;
        }
        if (bytes + payloadBytes > MAX_BYTES) {
            return false;
        }
        if (envelope == null) {
            ObjectNode firstEnvelope = read(first);
            if (firstEnvelope == null) {
                return false;   // sent alone, as recorded, and Cekura's answer decides
            }
            envelope = firstEnvelope;
            calls = (ArrayNode) envelope.remove("calls");
            withRunIds = calls.path(0).hasNonNull("run_id");
        }
        ObjectNode other = read(payload);
        if (other == null) {
            return false;
        }
        ArrayNode otherCalls = (ArrayNode) other.remove("calls");
        boolean sameKind = envelope.hasNonNull("agent_id") || otherCalls.path(0).hasNonNull("run_id") == withRunIds;
        if (!other.equals(envelope) || !sameKind) {
            return false;
        }
        calls.addAll(otherCalls);
        bytes += payloadBytes;
        size++;
        return true;
    }

    int size() {
        return size;
    }

    String json() {
        if (size <= 1) {
            return first;
        }
        ObjectNode body = envelope.deepCopy();
        body.set("calls", calls);
        try {
            return EXACT.writeValueAsString(body);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The envelope of a recorded payload; null for one that is not a one-call envelope (it can only go alone). */
    private static ObjectNode read(String payload) {
        try {
            if (EXACT.readTree(payload) instanceof ObjectNode envelope && envelope.get("calls") instanceof ArrayNode calls
                    && calls.size() == 1) {
                return envelope;
            }
        } catch (JsonProcessingException unreadable) {
            // falls through
        }
        return null;
    }
}
