package callbridge.support;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A test class that talks to the bridge its Spring context started, over real HTTP on loopback. */
public abstract class BridgeHttpTest {
    @LocalServerPort
    protected int port;
    protected BridgeClient bridge;

    @BeforeEach
    void connectToTheBridge() {
        bridge = new BridgeClient(port);
    }

    /** One whole salpre call: answered, then ended with no transcript, each event acknowledged 200. */
    protected void endSalpreCall(long id) {
        assertThat(bridge.post("/webhooks/salpre", lifecycle("call_answered", id, 1760084576)).statusCode()).isEqualTo(200);
        assertThat(bridge.post("/webhooks/salpre", ended(id, 1760084597, List.of())).statusCode()).isEqualTo(200);
    }
}
