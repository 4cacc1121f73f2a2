package callbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import callbridge.calls.CallEvent;
import callbridge.calls.CallEventKind;
import callbridge.calls.CallsProperties;
import callbridge.store.StoreFlush;
import callbridge.support.TestStores;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.util.unit.DataSize;

/**
 * The write-ahead journal on a real H2 file, with the applier held back at will: what is answered before
 * the database has it, and what a stop or a crash leaves.
 */
class WriteAheadJournalTest {
    @TempDir
    Path folder;
    DataSource store;
    JdbcClient jdbc;
    /** Until set, the applier finds the database unreachable (the journal's own reads still work). */
    volatile boolean applierReachesDatabase;
    WriteAheadJournal journal;

    @BeforeEach
    void migrate() {
        var h2 = new JdbcDataSource();
        h2.setURL(TestStores.h2Url(folder.resolve("bridge")));
        h2.setUser("sa");
        store = h2;
        Flyway.configure().dataSource(store).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(store);
    }

    @AfterEach
    void stop() {
        applierReachesDatabase = true;
        if (journal != null && journal.isRunning()) {
            journal.stop();
        }
    }

    @Test
    void anEventWaitingInTheLogIsAlreadyADuplicateAndReachesTheDatabaseOnce() {
        journal = start(20_000);
        assertThat(journal.append(transcript(1, "hello"), raw("hello"), "k1")).isEqualTo(AppendOutcome.STORED);
        assertThat(journal.append(transcript(1, "hello"), raw("hello"), "k1")).isEqualTo(AppendOutcome.DUPLICATE);
        assertThat(journal.awaitInDatabase(Duration.ofMillis(200))).isFalse();
        assertThat(storedEvents()).isZero();

        applierReachesDatabase = true;
        assertThat(journal.awaitInDatabase(Duration.ofSeconds(5))).isTrue();
        assertThat(storedEvents()).isEqualTo(1);
        assertThat(journal.append(transcript(1, "hello"), raw("hello"), "k1")).isEqualTo(AppendOutcome.DUPLICATE);
        assertThat(jdbc.sql("SELECT state FROM bridge_call WHERE provider = 'salpre' AND call_id = '1'").query(String.class).single())
                .isEqualTo("OPEN");
    }

    @Test
    void beyondTheBacklogWebhooksAreRefusedUntilTheDatabaseCatchesUp() {
        journal = start(2);
        assertThat(journal.append(transcript(2, "one"), raw("one"), "a")).isEqualTo(AppendOutcome.STORED);
        assertThat(journal.append(transcript(2, "two"), raw("two"), "b")).isEqualTo(AppendOutcome.STORED);
        assertThatThrownBy(() -> journal.append(transcript(2, "three"), raw("three"), "c"))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("2 events behind");

        applierReachesDatabase = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> journal.awaitInDatabase(Duration.ZERO));
        assertThat(journal.append(transcript(2, "three"), raw("three"), "c")).isEqualTo(AppendOutcome.STORED);
    }

    @Test
    void aStopThatCannotReachTheDatabaseLeavesTheLogAndTheNextStartAppliesIt() throws Exception {
        journal = start(20_000);
        assertThat(journal.append(transcript(3, "kept"), raw("kept"), "kept")).isEqualTo(AppendOutcome.STORED);
        journal.stop(); // the applier cannot reach the database: the event is only in the log
        assertThat(segments()).isNotEmpty();
        assertThat(storedEvents()).isZero();

        applierReachesDatabase = true;
        journal = start(20_000);
        assertThat(storedEvents()).isEqualTo(1); // applied before start() returned
        assertThat(jdbc.sql("SELECT canonical FROM call_event").query(String.class).single()).contains("\"text\":\"kept\"");
        assertThat(journal.append(transcript(3, "kept"), raw("kept"), "kept")).isEqualTo(AppendOutcome.DUPLICATE);
        journal.stop();
        assertThat(segments()).isEmpty(); // everything in the database: nothing left to replay
    }

    @Test
    void anEventForACallAlreadyClosedIsKeptAndSaidToBeLate() {
        applierReachesDatabase = true;
        journal = start(20_000);
        journal.append(transcript(4, "first"), raw("first"), "first");
        assertThat(journal.awaitInDatabase(Duration.ofSeconds(5))).isTrue();
        jdbc.sql("UPDATE bridge_call SET state = 'DELIVERED' WHERE call_id = '4'").update();

        assertThat(journal.append(transcript(4, "after"), raw("after"), "after")).isEqualTo(AppendOutcome.STORED_LATE);
        assertThat(journal.awaitInDatabase(Duration.ofSeconds(5))).isTrue();
        assertThat(storedEvents()).isEqualTo(2);
    }

    private WriteAheadJournal start(int maxBacklog) {
        var ingest = new IngestProperties(DataSize.ofMegabytes(1), 256, 2_000, IngestProperties.WriteAhead.ON, null,
                DataSize.ofMegabytes(16), 2000, maxBacklog);
        DataSource gated = new DelegatingDataSource(store) {
            @Override
            public Connection getConnection() throws SQLException {
                if (!applierReachesDatabase && Thread.currentThread().getName().equals("event-journal-applier")) {
                    throw new SQLException("database unreachable (test)");
                }
                return super.getConnection();
            }
        };
        var calls = new CallsProperties(Duration.ofSeconds(5), Duration.ofMinutes(15), false, Duration.ofSeconds(60),
                Duration.ofSeconds(30), 3);
        var started = new WriteAheadJournal(gated, new StoreFlush(store), new JournalRows(calls),
                JsonMapper.builder().findAndAddModules().build(), Clock.systemUTC(), ingest,
                new WriteAheadLog(folder.resolve("bridge.wal"), ingest.writeAheadSegment().toBytes()), new SimpleMeterRegistry());
        started.start();
        return started;
    }

    private long storedEvents() {
        return jdbc.sql("SELECT COUNT(*) FROM call_event").query(Long.class).single();
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> files = Files.list(folder.resolve("bridge.wal"))) {
            return files.filter(file -> file.toString().endsWith(".wal")).toList();
        }
    }

    private static CallEvent transcript(long call, String text) {
        return new CallEvent("salpre", Long.toString(call), CallEventKind.TRANSCRIPT, "transcript", Instant.parse("2025-10-10T08:23:00Z"),
                null, null, null, null, null, List.of(), Map.of("text", text), false);
    }

    private static byte[] raw(String text) {
        return ("{\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
