package callbridge.ingest;

import callbridge.calls.CallEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A {@link JournalEntry} as a write-ahead log record: version, received-at, dedupe key, raw body, canonical
 * JSON. The event itself is read back from the canonical JSON, as the call assembly does.
 */
final class JournalEntryCodec {
    private static final byte VERSION = 1;

    private final ObjectMapper json;

    JournalEntryCodec(ObjectMapper json) {
        this.json = json;
    }

    byte[] encode(JournalEntry entry) {
        byte[] key = entry.dedupeKey().getBytes(StandardCharsets.UTF_8);
        byte[] canonical = entry.canonical().getBytes(StandardCharsets.UTF_8);
        var bytes = new ByteArrayOutputStream(32 + key.length + entry.raw().length + canonical.length);
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(entry.receivedAt().getEpochSecond());
            out.writeInt(entry.receivedAt().getNano());
            writeBytes(out, key);
            writeBytes(out, entry.raw());
            writeBytes(out, canonical);
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return bytes.toByteArray();
    }

    JournalEntry decode(ByteBuffer record) {
        byte version = record.get();
        if (version != VERSION) {
            throw new IllegalStateException("write-ahead log record of unknown version " + version);
        }
        Instant receivedAt = Instant.ofEpochSecond(record.getLong(), record.getInt());
        String key = new String(readBytes(record), StandardCharsets.UTF_8);
        byte[] raw = readBytes(record);
        String canonical = new String(readBytes(record), StandardCharsets.UTF_8);
        try {
            return new JournalEntry(json.readValue(canonical, CallEvent.class), canonical, raw, key, receivedAt);
        } catch (IOException unreadable) {
            throw new IllegalStateException("write-ahead log record with an unreadable event", unreadable);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(ByteBuffer record) {
        byte[] bytes = new byte[record.getInt()];
        record.get(bytes);
        return bytes;
    }
}
