package callbridge.ingest;

import callbridge.store.StoreFlush;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Picks the journal. An H2 file store lives on this node's disk, so a log file beside it is as durable and
 * much cheaper per event ({@link WriteAheadJournal}). A server database (PostgreSQL) may be shared by
 * several nodes and outlive any one of them: events go straight into it ({@link GroupCommitJournal}).
 */
@Configuration(proxyBeanMethods = false)
public class JournalConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(JournalConfiguration.class);

    @Bean("eventJournalWriter")
    EventJournal eventJournalWriter(DataSource dataSource, StoreFlush flush, JournalRows rows, ObjectMapper json,
            Clock clock, IngestProperties ingest, MeterRegistry registry,
            @Value("${spring.datasource.url:}") String datasourceUrl) {
        Optional<Path> logDirectory = writeAheadDirectory(ingest, datasourceUrl);
        if (logDirectory.isEmpty()) {
            return new GroupCommitJournal(dataSource, flush, rows, json, clock, ingest, registry);
        }
        LOG.info("Webhook events are answered once in the write-ahead log {}", logDirectory.get().toAbsolutePath());
        var log = new WriteAheadLog(logDirectory.get(), ingest.writeAheadSegment().toBytes());
        return new WriteAheadJournal(dataSource, flush, rows, json, clock, ingest, log, registry);
    }

    static Optional<Path> writeAheadDirectory(IngestProperties ingest, String datasourceUrl) {
        Optional<Path> h2File = h2File(datasourceUrl);
        return switch (ingest.writeAhead()) {
            case OFF -> Optional.empty();
            case AUTO -> Optional.ofNullable(ingest.writeAheadDir()).or(() -> h2File.map(JournalConfiguration::besideFile));
            case ON -> Optional.of(Optional.ofNullable(ingest.writeAheadDir()).or(() -> h2File.map(JournalConfiguration::besideFile))
                    .orElseThrow(() -> new IllegalStateException(
                            "bridge.ingest.write-ahead=on needs bridge.ingest.write-ahead-dir unless the store is an H2 file")));
        };
    }

    /** The database file of an embedded H2 URL ({@code jdbc:h2:file:./data/bridge;...} or {@code jdbc:h2:./data/bridge}). */
    static Optional<Path> h2File(String url) {
        if (url == null || !url.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String name = url.substring("jdbc:h2:".length()).split(";", 2)[0];
        if (name.startsWith("file:")) {
            name = name.substring("file:".length());
        } else if (name.startsWith("mem:") || name.startsWith("tcp:") || name.startsWith("ssl:") || name.startsWith("zip:")) {
            return Optional.empty();
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return name.isBlank() ? Optional.empty() : Optional.of(Path.of(name));
    }

    private static Path besideFile(Path h2File) {
        return h2File.resolveSibling(h2File.getFileName() + ".wal");
    }
}
