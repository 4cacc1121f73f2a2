package callbridge.ingest;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Ingest settings: {@code bridge.ingest.*}.
 *
 * @param maxBodySize     larger webhook bodies get 413
 * @param maxBatch        events written in one commit (or one write-ahead log write) at most
 * @param appendTimeoutMs how long a request waits for its commit before it is answered 503
 * @param writeAhead      {@code auto} (default): a write-ahead log when the store is an H2 file, direct commits
 *                        otherwise; {@code on} / {@code off} force it
 * @param writeAheadDir   where the log's segments go; default: beside the H2 file ({@code <file>.wal/})
 * @param writeAheadSegment a segment is closed at this size and deleted once it is all in the database
 * @param maxApplyBatch   events moved from the log into the database in one transaction at most
 * @param maxBacklog      events answered but not yet in the database at most; beyond it webhooks get 503
 */
@ConfigurationProperties("bridge.ingest")
public record IngestProperties(
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("256") int maxBatch,
        @DefaultValue("10000") long appendTimeoutMs,
        @DefaultValue("auto") WriteAhead writeAhead,
        Path writeAheadDir,
        @DefaultValue("16MB") DataSize writeAheadSegment,
        @DefaultValue("2000") int maxApplyBatch,
        @DefaultValue("20000") int maxBacklog) {

    public enum WriteAhead { AUTO, ON, OFF }
}
