package callbridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.RawHttp;
import callbridge.support.StubHttpServer;
import java.util.List;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What Tomcat refuses before any application code runs gets the bridge's JSON, not Tomcat's HTML page (standalone):
 * a malformed request line, an invalid header, a bad {@code %} escape, an encoded {@code /}. Raw sockets, since no
 * HTTP client sends these.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TomcatJsonErrorsTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final String BAD_REQUEST = "{\"error\":\"bad request\"}";

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "tomcat-json-errors", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void malformedRequestsGetJson() {
        for (String request : List.of(
                "GET /in / as\r\nHost: 127.0.0.1\r\n\r\n",                                        // request line
                "GET /admin/calls HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: 1\r\nConnection: close\r\n\r\n",   // header name
                "GET /webhooks/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",      // bad escape
                "GET /admin/calls/generic/a%2Fb HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",   // encoded /
                "POST /webhooks/salpre HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\nConnection: close\r\n\r\n")) {
            RawHttp.Answer answer = RawHttp.send(port, request);
            String shown = request.lines().findFirst().orElse("") + " " + request.contains("Bad Header");
            assertThat(answer.status()).as(shown).isEqualTo(400);
            assertThat(answer.body()).as(shown).isEqualTo(BAD_REQUEST);
            assertThat(answer.header("Content-Type")).as(shown).startsWith("application/json");
        }
    }

    @Test
    void theApplicationsOwnErrorsStayAsTheyWere() {
        RawHttp.Answer unknown = RawHttp.get(port, "/nothing-here", "127.0.0.1");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"error\":\"not found\"}");
        RawHttp.Answer admin = RawHttp.get(port, "/admin/calls/salpre/nope", "127.0.0.1");
        assertThat(admin.status()).isEqualTo(404);
        assertThat(admin.body()).isEqualTo("{\"error\":\"no call salpre/nope\"}");
    }
}
