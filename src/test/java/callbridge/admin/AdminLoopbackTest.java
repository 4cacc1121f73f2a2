package callbridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * No BRIDGE_ADMIN_TOKEN: /admin/** (page and API) answers only clients on the loopback address. Clients
 * elsewhere are mock requests with another remote address; the real traffic of the test stays on loopback.
 */
@CamelSpringBootTest
@AutoConfigureMockMvc
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AdminLoopbackTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final String NOT_LOOPBACK =
            "{\"error\":\"BRIDGE_ADMIN_TOKEN is not set: /admin answers only clients on the loopback address\"}";
    static final List<String> GETS = List.of("/admin/", "/admin", "/admin/assets/ops.js", "/admin/summary", "/admin/calls",
            "/admin/calls?state=open", "/admin/calls/salpre/961001", "/admin/calls/salpre/961001/events/1",
            "/admin/dead-letters", "/admin/outbound-triggers", "/admin/outbound-triggers/trg_nope");

    @Autowired
    MockMvc mvc;

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "admin-loopback", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void aClientOffTheLoopbackGets401NamingTheVariable() throws Exception {
        for (String path : GETS) {
            MockHttpServletResponse answer = perform(get(path), "203.0.113.9");
            assertThat(answer.getStatus()).as(path).isEqualTo(401);
            assertThat(answer.getContentAsString()).as(path).isEqualTo(NOT_LOOPBACK);
            assertThat(answer.getContentType()).as(path).isEqualTo("application/json");
        }
        for (String path : List.of("/admin/dead-letters/replay", "/admin/dead-letters/1/replay")) {
            MockHttpServletResponse answer = perform(post(path), "203.0.113.9");
            assertThat(answer.getStatus()).as(path).isEqualTo(401);
            assertThat(answer.getContentAsString()).as(path).isEqualTo(NOT_LOOPBACK);
        }
        // a bearer token does not help when none is configured; nor does a private address or a host name
        assertThat(perform(get("/admin/calls").header("Authorization", "Bearer anything"), "203.0.113.9").getStatus()).isEqualTo(401);
        assertThat(perform(get("/admin/calls"), "10.0.0.7").getStatus()).isEqualTo(401);
        assertThat(perform(get("/admin/calls"), "localhost").getStatus()).isEqualTo(401);
    }

    @Test
    void theSameMockRequestFromTheLoopbackIsServed() throws Exception {
        MockHttpServletResponse page = perform(get("/admin/"), "127.0.0.1");
        assertThat(page.getStatus()).isEqualTo(200);
        assertThat(page.getContentAsString()).contains("name=\"token\"");
        assertThat(perform(get("/admin/calls"), "127.0.0.1").getContentAsString()).startsWith("[");
        assertThat(perform(get("/admin/summary"), "0:0:0:0:0:0:0:1").getStatus()).isEqualTo(200);
        assertThat(perform(get("/admin/calls/salpre/961001"), "127.0.0.1").getContentAsString())
                .isEqualTo("{\"error\":\"no call salpre/961001\"}");
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

    /** The request as if it came from {@code remoteAddress}; platform-http answers asynchronously. */
    private MockHttpServletResponse perform(MockHttpServletRequestBuilder request, String remoteAddress) throws Exception {
        MvcResult result = mvc.perform(request.with(r -> {
            r.setRemoteAddr(remoteAddress);
            return r;
        })).andReturn();
        if (result.getRequest().isAsyncStarted()) {
            result = mvc.perform(asyncDispatch(result)).andReturn();
        }
        return result.getResponse();
    }
}
