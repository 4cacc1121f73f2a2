package callbridge.providers;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** BRIDGE_PROVIDERS=salpre: salpre is served, a provider switched off has no endpoint (and no route); dial routes stay. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "bridge.providers=salpre")
class ProvidersSettingTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();

    @Autowired
    CamelContext camel;

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "providers-setting", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void onlyTheListedProvidersHaveAnEndpoint() {
        assertThat(bridge.post("/webhooks/salpre", BridgeTestSupport.resource("/salpre/call_initiated.json")).statusCode()).isEqualTo(200);
        for (String off : new String[] {"vapi", "verbex", "generic", "retell", "elevenlabs", "bland"}) {
            assertThat(bridge.post("/webhooks/" + off, "{}").statusCode()).as(off).isEqualTo(404);
        }
        assertThat(camel.getRoutes()).extracting(route -> route.getEndpoint().getEndpointUri())
                .anyMatch(uri -> uri.contains("bridge-dial-vapi"))
                .noneMatch(uri -> uri.contains("/webhooks/vapi"));
    }
}
