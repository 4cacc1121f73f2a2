package callbridge.calls;

import java.net.InetAddress;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Names this bridge process in the claims it takes, so a lease can be told apart from another node's. */
@Component
public class NodeIdentity {
    private final String id;

    public NodeIdentity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception unknown) {
            host = "node";
        }
        this.id = host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String id() {
        return id;
    }
}
