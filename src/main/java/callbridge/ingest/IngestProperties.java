package callbridge.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Ingest settings: {@code bridge.ingest.*}.
 *
 * @param maxBodySize     larger webhook bodies get 413
 * @param maxBatch        events written in one commit at most
 * @param appendTimeoutMs how long a request waits for its commit before it is answered 503
 */
@ConfigurationProperties("bridge.ingest")
public record IngestProperties(
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("256") int maxBatch,
        @DefaultValue("10000") long appendTimeoutMs) {
}
