package callbridge.claims;

import java.net.InetAddress;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Names this bridge process in the claims it takes: {@code BRIDGE_NODE_NAME}, else host and HTTP port.
 * The name is stable across restarts, so a restarted node recognises the claims it held before a
 * crash and takes them back at once instead of waiting for their leases to run out.
 */
@Component
public class NodeIdentity {
    private final String id;

    public NodeIdentity(@Value("${bridge.node-name:}") String configured, @Value("${server.port:8080}") String port) {
        this.id = configured.isBlank() ? host() + ":" + port : configured;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception unknown) {
            return "node";
        }
    }

    public String id() {
        return id;
    }
}
