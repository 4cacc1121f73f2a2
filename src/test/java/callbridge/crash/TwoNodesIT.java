package callbridge.crash;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static callbridge.support.SalpreEvents.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeClient;
import callbridge.support.StubHttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two bridge processes on one PostgreSQL, the events of 200 calls spread over both, one node killed
 * with SIGKILL mid-run: the other takes over its work and each call reaches Cekura once.
 * Figures go to target/two-nodes-figures.txt.
 */
class TwoNodesIT {
    static final StubHttpServer cekura = StubHttpServer.start();
    static EmbeddedPostgres postgres;
    static BridgeProcess nodeA;
    static BridgeProcess nodeB;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Path dir = Files.createDirectories(Path.of("target", "two-nodes"));
        nodeA = new BridgeProcess(env("node-a"), dir.resolve("node-a.log"));
        nodeB = new BridgeProcess(env("node-b"), dir.resolve("node-b.log"));
        nodeA.start();
        nodeB.start();
    }

    @AfterAll
    static void stop() throws Exception {
        nodeA.stop();
        nodeB.stop();
        cekura.close();
        postgres.close();
    }

    static Map<String, String> env(String name) {
        Map<String, String> env = new HashMap<>();
        env.put("SPRING_DATASOURCE_URL", postgres.getJdbcUrl("postgres", "postgres"));
        env.put("SPRING_DATASOURCE_USERNAME", "postgres");
        env.put("SPRING_DATASOURCE_PASSWORD", "");
        env.put("CEKURA_WEBHOOK_URL", cekura.url("/cekura/hook"));
        env.put("CEKURA_AGENT_ID", "8");
        env.put("BRIDGE_NODE_NAME", name);
        env.put("BRIDGE_CALL_GRACE", "1s");
        env.put("BRIDGE_CLAIM_LEASE", "5s");
        env.put("CEKURA_CONNECT_TIMEOUT", "1s");
        env.put("CEKURA_RESPONSE_TIMEOUT", "2s");
        return env;
    }

    @Test
    void twoHundredCallsOverTwoNodesOneKilledEachDeliveredOnce() throws Exception {
        List<Long> calls = LongStream.rangeClosed(990_001, 990_200).boxed().toList();
        BridgeClient a = new BridgeClient(nodeA.port());
        BridgeClient b = new BridgeClient(nodeB.port());
        Instant killedAt = null;
        for (int i = 0; i < calls.size(); i++) {
            long id = calls.get(i);
            boolean bAlive = killedAt == null;
            // the load balancer alternates: each call's events go to both nodes while both live
            post(bAlive && id % 2 == 0 ? b : a, lifecycle("call_initiated", id, 1760084505));
            post(bAlive && id % 2 == 1 ? b : a, lifecycle("call_answered", id, 1760084576));
            post(bAlive && id % 2 == 0 ? b : a, transcript(id, 1760084580, "customer", "hello from " + id, "1760084580"));
            post(bAlive && id % 2 == 1 ? b : a, ended(id, 1760084597, List.of()));
            if (i == 120) {
                nodeB.kill();          // mid-run: B holds open calls, claims, pending deliveries
                killedAt = Instant.now();
            }
        }
        await().atMost(Duration.ofSeconds(90)).until(() ->
                calls.stream().allMatch(id -> cekura.callsWithId("salpre-" + id).stream().anyMatch(r -> r.answeredStatus() == 200)));
        Instant allDelivered = Instant.now();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);

        Map<Long, Long> deliveries = calls.stream().collect(Collectors.toMap(id -> id,
                id -> cekura.callsWithId("salpre-" + id).stream().filter(r -> r.answeredStatus() == 200).count()));
        long once = deliveries.values().stream().filter(n -> n == 1).count();
        long duplicated = deliveries.values().stream().filter(n -> n > 1).count();
        for (long id : calls) {
            String body = cekura.callsWithId("salpre-" + id).get(0).body();
            assertThat(body).contains("hello from " + id);   // events from both nodes were gathered
        }
        Files.writeString(Path.of("target", "two-nodes-figures.txt"), String.format(
                "two nodes on one PostgreSQL, node B killed after 121 of 200 calls: delivered %d, once %d, duplicated %d, "
                        + "kill -> last call delivered %d ms%n",
                deliveries.values().stream().filter(n -> n >= 1).count(), once, duplicated,
                Duration.between(killedAt, allDelivered).toMillis()));
        assertThat(duplicated).isZero();
        assertThat(once).isEqualTo(200);
    }

    private static void post(BridgeClient node, String body) {
        assertThat(node.post("/webhooks/salpre", body).statusCode()).isEqualTo(200);
    }
}
