package callbridge.admin;

import callbridge.BridgeConfiguration;
import callbridge.claims.CallKey;
import callbridge.delivery.CekuraProperties;
import callbridge.store.BridgeStore;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dead letters ops see and replay. A replay puts the call back to be delivered under the same
 * redelivery rules with a fresh window; the letter stays listed (as replaying) until Cekura takes
 * the call, and is back to waiting, with the new reason, if it fails again.
 */
@Component("bridgeDeadLetters")
public class DeadLetters {
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final CekuraProperties cekura;

    public DeadLetters(BridgeStore bridgeStore, @Qualifier(BridgeConfiguration.CLOCK) Clock clock, CekuraProperties cekura) {
        this.jdbc = bridgeStore.jdbc();
        this.transactions = bridgeStore.transactions();
        this.clock = clock;
        this.cekura = cekura;
    }

    public List<Map<String, Object>> list() {
        return jdbc.sql("""
                SELECT id, provider, call_id, status, reason, attempts, last_status, dead_at, replayed_at
                  FROM bridge_dead_letter WHERE status <> 'resolved' ORDER BY id""")
                .query((rs, i) -> {
                    Map<String, Object> letter = new LinkedHashMap<>();
                    letter.put("id", rs.getLong("id"));
                    letter.put("provider", rs.getString("provider"));
                    letter.put("callId", rs.getString("call_id"));
                    letter.put("status", rs.getString("status"));
                    letter.put("reason", rs.getString("reason"));
                    letter.put("attempts", rs.getInt("attempts"));
                    letter.put("lastStatus", rs.getObject("last_status"));
                    letter.put("deadAt", rs.getObject("dead_at", OffsetDateTime.class).toInstant().toString());
                    OffsetDateTime replayed = rs.getObject("replayed_at", OffsetDateTime.class);
                    letter.put("replayedAt", replayed == null ? null : replayed.toInstant().toString());
                    return letter;
                }).list();
    }

    /** Replays one letter; 404 when there is no such waiting letter. */
    public Map<String, Object> replay(@Header("id") String id) {
        long letterId;
        try {
            letterId = Long.parseLong(id);
        } catch (NumberFormatException notANumber) {
            throw new NotFoundException("no dead letter " + id);
        }
        if (!replayOne(letterId)) {
            throw new NotFoundException("no dead letter " + id + " waiting for a replay");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", letterId);
        answer.put("status", "replaying");
        return answer;
    }

    public Map<String, Object> replayAll() {
        List<Long> waiting = jdbc.sql("SELECT id FROM bridge_dead_letter WHERE status = 'waiting' ORDER BY id")
                .query(Long.class).list();
        int replaying = 0;
        for (long id : waiting) {
            if (replayOne(id)) {
                replaying++;
            }
        }
        return Map.of("replaying", replaying);
    }

    private boolean replayOne(long id) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        Boolean done = transactions.execute(tx -> {
            int letters = jdbc.sql("""
                    UPDATE bridge_dead_letter SET status = 'replaying', replayed_at = :now WHERE id = :id AND status = 'waiting'""")
                    .param("now", now).param("id", id).update();
            if (letters == 0) {
                return false;
            }
            CallKey key = jdbc.sql("SELECT provider, call_id FROM bridge_dead_letter WHERE id = :id").param("id", id)
                    .query((rs, i) -> new CallKey(rs.getString(1), rs.getString(2))).single();
            // a call that was never assembled (its completion failed) goes back to be completed, the others to be sent
            jdbc.sql("""
                    UPDATE bridge_call SET state = CASE WHEN payload IS NULL THEN 'OPEN' ELSE 'PENDING' END,
                           due_at = :now, attempts = 0, completion_failures = 0, window_ends_at = :window,
                           claimed_by = NULL, claimed_until = NULL, claim_token = NULL
                     WHERE state = 'DEAD_LETTERED' AND provider = :provider AND call_id = :callId""")
                    .param("now", now).param("window", now.plus(cekura.deliveryWindow()))
                    .param("provider", key.provider()).param("callId", key.callId()).update();
            return true;
        });
        return Boolean.TRUE.equals(done);
    }
}
