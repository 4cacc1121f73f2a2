package callbridge.calls;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Leases on call rows. One UPDATE takes every claimable row (up to a batch) and stamps it with a
 * fresh token; a row already taken by another claimer no longer matches the condition, so two
 * claimers never both win a row, on one node or several.
 */
public final class Claims {
    private Claims() {
    }

    /**
     * @param claimable SQL condition (with {@code :now}) of rows that may be taken
     * @param claimedSet SQL assignments that mark a row as taken (e.g. the new state)
     */
    public static List<Claim> claim(JdbcClient jdbc, NodeIdentity node, String claimable, String claimedSet,
            Duration lease, int max, Instant at) {
        OffsetDateTime now = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
        String token = UUID.randomUUID().toString();
        int claimed = jdbc.sql("""
                UPDATE bridge_call SET %s, claimed_by = :node, claimed_until = :until, claim_token = :token
                 WHERE (provider, call_id) IN (SELECT provider, call_id FROM bridge_call
                                                WHERE %s ORDER BY due_at LIMIT :max)
                   AND (%s)""".formatted(claimedSet, claimable, claimable))
                .param("node", node.id()).param("until", now.plus(lease)).param("token", token)
                .param("now", now).param("max", max)
                .update();
        if (claimed == 0) {
            return List.of();
        }
        return jdbc.sql("SELECT provider, call_id FROM bridge_call WHERE claim_token = :token")
                .param("token", token)
                .query((rs, i) -> new Claim(new CallKey(rs.getString(1), rs.getString(2)), token))
                .list();
    }
}
