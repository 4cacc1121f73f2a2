package callbridge.calls;

import callbridge.BridgeConfiguration;
import callbridge.claims.NodeIdentity;
import callbridge.store.BridgeStore;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * At start, claims this node held when it last stopped (crash or kill -9) end now: calls being
 * completed or sent are taken up again at once, with their attempt count and window as stored (a retry waiting for its
 * time holds no claim: it is due in the store). Runs before Camel starts its pollers.
 */
@Component
public class OwnClaimsRecovery implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(OwnClaimsRecovery.class);
    private final JdbcClient jdbc;
    private final NodeIdentity node;
    private final Clock clock;
    private volatile boolean running;

    public OwnClaimsRecovery(BridgeStore bridgeStore, NodeIdentity node, @Qualifier(BridgeConfiguration.CLOCK) Clock clock) {
        this.jdbc = bridgeStore.jdbc();
        this.node = node;
        this.clock = clock;
    }

    @Override
    public void start() {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        int released = jdbc.sql("""
                UPDATE bridge_call
                   SET claimed_until = CASE WHEN state = 'DELIVERING' AND due_at > :now THEN due_at ELSE :now END,
                       claimed_by = NULL
                 WHERE claimed_by = :node AND state IN ('COMPLETING', 'DELIVERING')""")
                .param("now", now).param("node", node.id()).update();
        released += jdbc.sql("""
                UPDATE bridge_outbound_trigger
                   SET claimed_until = CASE WHEN due_at > :now THEN due_at ELSE :now END, claimed_by = NULL
                 WHERE claimed_by = :node AND status = 'dialing'""")
                .param("now", now).param("node", node.id()).update();
        if (released > 0) {
            LOG.info("resuming {} call(s) or trigger(s) this node ({}) was completing, delivering or dialing when it stopped", released, node.id());
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before Camel's routes (whose pollers would otherwise wait out the leases). */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE / 2 + 1;
    }
}
