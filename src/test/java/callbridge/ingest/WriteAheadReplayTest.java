package callbridge.ingest;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static callbridge.support.SalpreEvents.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import callbridge.CallBridgeApplication;
import callbridge.support.BridgeClient;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Events that were answered and are only in the write-ahead log (the process died before they reached
 * the database) are applied when the bridge starts, before it takes requests: the call they belong to is
 * delivered whole, once, and a re-send of one of them is a duplicate.
 */
class WriteAheadReplayTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    final Path base = Path.of("target", "test-db", "replay-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void eventsOnlyInTheLogReachTheDatabaseAtStartAndTheCallIsDeliveredOnce() throws Exception {
        assumeFalse(TestStores.onPostgres(), "the write-ahead log is the H2 store's");
        Path crashed = base.resolve("crashed");
        Path restored = base.resolve("restored");
        // a bridge answers two events of a call; its log is what a kill -9 would leave (applied or not)
        try (ConfigurableApplicationContext first = start(crashed)) {
            BridgeClient bridge = BridgeClient.of(first);
            assertThat(bridge.post("/webhooks/salpre", lifecycle("call_initiated", 930001, 1760084505)).body())
                    .isEqualTo("{\"status\":\"accepted\"}");
            assertThat(bridge.post("/webhooks/salpre", transcript(930001, 1760084580, "ai", "Only in the log", "1760084580")).body())
                    .isEqualTo("{\"status\":\"accepted\"}");
            copySegments(Path.of(crashed + ".wal"), Path.of(restored + ".wal"));
        }
        // the segment's last write was torn by the crash: garbage after the answered frames
        Path segment = onlySegment(Path.of(restored + ".wal"));
        Files.write(segment, new byte[] {0, 0, 1, 0, 9, 9}, StandardOpenOption.APPEND);

        // a bridge on a database that never saw those events, with the log left behind
        try (ConfigurableApplicationContext second = start(restored)) {
            BridgeClient bridge = BridgeClient.of(second);
            assertThat(Path.of(restored + ".wal").resolve(segment.getFileName())).doesNotExist();
            assertThat(bridge.post("/webhooks/salpre", lifecycle("call_initiated", 930001, 1760084505)).body())
                    .isEqualTo("{\"status\":\"duplicate\"}");
            assertThat(bridge.post("/webhooks/salpre", ended(930001, 1760084597, List.of())).statusCode()).isEqualTo(200);

            String body = cekura.awaitOnlyCall("salpre-930001").body();
            assertThat(body).contains("\"content\":\"Only in the log\"").contains("\"startedAt\":\"2025-10-10T08:21:45Z\"");
        }
    }

    private static void copySegments(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    private static Path onlySegment(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    private ConfigurableApplicationContext start(Path h2File) {
        return new SpringApplicationBuilder(CallBridgeApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + TestStores.h2Url(h2File),
                "--spring.datasource.username=sa",
                "--cekura.webhook-url=" + cekura.url("/cekura/hook"),
                "--cekura.api-key=" + BridgeTestSupport.API_KEY,
                "--cekura.agent-id=42",
                "--bridge.call-grace=300ms",
                "--bridge.calls.poll-interval=50",
                "--bridge.delivery.poll-interval=100");
    }
}
