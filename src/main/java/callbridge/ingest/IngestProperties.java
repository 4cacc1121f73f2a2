package callbridge.ingest;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Ingest settings: {@code bridge.ingest.*}.
 *
 * @param maxBodySize     larger webhook bodies get 413
 * @param maxBatch        events written in one commit at most
 * @param appendTimeoutMs how long a request waits for its commit before it is answered 503
 * @param bodyReadTimeout a request body not whole within this time (from its headers) is answered 408
 * @param maxBufferedBodies what all bodies still arriving may hold in memory together; beyond, 503 + Retry-After
 * @param guardedPaths    the servlet URL patterns the body filter covers; unset, the bridge's own paths, from its base
 *                        paths ({@code /webhooks/*}, {@code /cekura/outbound-trigger}, {@code /admin}, {@code /admin/*}); the standalone
 *                        application sets {@code /*} (its other paths, actuator and unknown ones, take no body either)
 * @param refuseOtherBodies a body on a covered path that no bridge route serves is refused unread (standalone);
 *                        off (a host), such a request goes on to the host's own controller untouched
 */
@ConfigurationProperties("bridge.ingest")
public record IngestProperties(
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("256") int maxBatch,
        @DefaultValue("10000") long appendTimeoutMs,
        @DefaultValue("10s") Duration bodyReadTimeout,
        @DefaultValue("64MB") DataSize maxBufferedBodies,
        List<String> guardedPaths,
        @DefaultValue("false") boolean refuseOtherBodies) {
}
