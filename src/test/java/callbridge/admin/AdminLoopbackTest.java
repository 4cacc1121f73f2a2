package callbridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import callbridge.support.BridgeClient;
import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.OwnAddresses;
import callbridge.support.StubHttpServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * No BRIDGE_ADMIN_TOKEN: /admin/** (page and API) answers only clients on the loopback address. The client off the
 * loopback is real HTTP to this machine's own non-loopback address (the connection comes from that address); which
 * address literals count as loopback is {@link AdminGuardTest}'s.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AdminLoopbackTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final String NOT_LOOPBACK =
            "{\"error\":\"BRIDGE_ADMIN_TOKEN is not set: /admin answers only clients on the loopback address\"}";
    static final List<String> GETS = List.of("/admin/", "/admin", "/admin/assets/ops.js", "/admin/summary", "/admin/calls",
            "/admin/calls?state=open", "/admin/calls/salpre/961001", "/admin/calls/salpre/961001/events/1",
            "/admin/dead-letters", "/admin/outbound-triggers", "/admin/outbound-triggers/trg_nope");

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "admin-loopback", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void aClientOffTheLoopbackGets401NamingTheVariable() {
        Optional<String> own = OwnAddresses.offLoopback();
        assumeTrue(own.isPresent(), "this machine has no address off the loopback");
        BridgeClient offLoopback = new BridgeClient(own.get(), port);
        for (String path : GETS) {
            HttpResponse<String> answer = offLoopback.get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(401);
            assertThat(answer.body()).as(path).isEqualTo(NOT_LOOPBACK);
            assertThat(answer.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
        }
        for (String path : List.of("/admin/dead-letters/replay", "/admin/dead-letters/1/replay")) {
            HttpResponse<String> answer = offLoopback.send(HttpRequest.newBuilder(offLoopback.uri(path))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(answer.statusCode()).as(path).isEqualTo(401);
            assertThat(answer.body()).as(path).isEqualTo(NOT_LOOPBACK);
        }
        // a bearer token does not help when none is configured
        assertThat(offLoopback.get("/admin/calls", Map.of("Authorization", "Bearer anything")).statusCode()).isEqualTo(401);
    }

    @Test
    void theSameRequestsFromTheLoopbackAreServed() {
        HttpResponse<String> page = bridge.get("/admin/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"token\"");
        assertThat(bridge.get("/admin/calls").body()).startsWith("[");
        assertThat(bridge.get("/admin/summary").statusCode()).isEqualTo(200);
        assertThat(bridge.get("/admin/calls/salpre/961001").body()).isEqualTo("{\"error\":\"no call salpre/961001\"}");
    }

    @Test
    void aRequestThatCameThroughAProxyIsNotALoopbackClient() {
        for (Map<String, String> proxied : List.of(Map.of("X-Forwarded-For", "203.0.113.9"),
                Map.of("Forwarded", "for=203.0.113.9;proto=https"), Map.of("X-Real-IP", "203.0.113.9"),
                Map.of("X-Forwarded-For", "127.0.0.1"))) {
            for (String path : List.of("/admin/", "/admin/calls")) {
                HttpResponse<String> answer = bridge.get(path, proxied);
                assertThat(answer.statusCode()).as(path + " " + proxied).isEqualTo(401);
                assertThat(answer.body()).as(path + " " + proxied).isEqualTo(NOT_LOOPBACK);
            }
        }
        assertThat(bridge.get("/admin/").statusCode()).isEqualTo(200);
        assertThat(bridge.get("/admin/calls").statusCode()).isEqualTo(200);
    }
}
