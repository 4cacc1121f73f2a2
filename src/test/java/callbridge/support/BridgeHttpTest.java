package callbridge.support;

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
}
