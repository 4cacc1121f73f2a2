package callbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callbridge.ingest.IngestProperties.WriteAhead;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** Which journal a datasource URL gets, and where the write-ahead log goes. */
class JournalConfigurationTest {
    private static final String DEFAULT_URL = "jdbc:h2:file:./data/bridge;MODE=PostgreSQL;RETENTION_TIME=1000";

    @Test
    void anH2FileGetsALogBesideIt() {
        assertThat(JournalConfiguration.writeAheadDirectory(settings(WriteAhead.AUTO, null), DEFAULT_URL))
                .contains(Path.of("./data/bridge.wal"));
        assertThat(JournalConfiguration.writeAheadDirectory(settings(WriteAhead.AUTO, null), "jdbc:h2:/srv/bridge/db"))
                .contains(Path.of("/srv/bridge/db.wal"));
    }

    @Test
    void serverAndInMemoryDatabasesCommitDirectly() {
        for (String url : new String[] {"jdbc:postgresql://db:5432/bridge", "jdbc:h2:mem:test;DB_CLOSE_DELAY=-1",
                "jdbc:h2:tcp://db/bridge", ""}) {
            assertThat(JournalConfiguration.writeAheadDirectory(settings(WriteAhead.AUTO, null), url)).as(url).isEmpty();
        }
    }

    @Test
    void offAndOnOverrideTheStore() {
        assertThat(JournalConfiguration.writeAheadDirectory(settings(WriteAhead.OFF, null), DEFAULT_URL)).isEmpty();
        assertThat(JournalConfiguration.writeAheadDirectory(settings(WriteAhead.ON, Path.of("/var/lib/bridge/wal")),
                "jdbc:postgresql://db/bridge")).contains(Path.of("/var/lib/bridge/wal"));
        assertThat(JournalConfiguration.writeAheadDirectory(settings(WriteAhead.AUTO, Path.of("/elsewhere")), DEFAULT_URL))
                .isEqualTo(Optional.of(Path.of("/elsewhere")));
    }

    @Test
    void onWithoutADirectoryOrAnH2FileIsAStartError() {
        assertThatThrownBy(() -> JournalConfiguration.writeAheadDirectory(settings(WriteAhead.ON, null), "jdbc:postgresql://db/bridge"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bridge.ingest.write-ahead-dir");
    }

    private static IngestProperties settings(WriteAhead mode, Path directory) {
        return new IngestProperties(DataSize.ofMegabytes(1), 256, 10_000, mode, directory, DataSize.ofMegabytes(16), 2000, 20_000);
    }
}
