package callbridge.claims;

import callbridge.BridgeConfiguration;
import callbridge.store.BridgeStore;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Leases on call rows. A row is claimable when its state's timer ran out ({@code due_at}) or its
 * holder's lease ran out ({@code claimed_until}). Candidates are read through the
 * {@code (state, due_at)} index, so a poll costs the same with ten or ten million stored calls;
 * each is then taken by primary key with the claimable condition checked again, so a row another
 * claimer took meanwhile stays its, on one node or several.
 */
@Component
public class Claims {
    private static final String CLAIMABLE =
            "((state = ? AND due_at <= ?) OR (state = ? AND claimed_until < ?))";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final NodeIdentity node;
    private final Clock clock;

    public Claims(BridgeStore bridgeStore, NodeIdentity node, @Qualifier(BridgeConfiguration.CLOCK) Clock clock) {
        this.jdbc = bridgeStore.jdbcTemplate();
        this.transactions = bridgeStore.transactions();
        this.node = node;
        this.clock = clock;
    }

    /**
     * Claims up to {@code max} rows in {@code dueState} whose due time has come, or in
     * {@code heldState} whose lease ran out.
     *
     * @param claimedSet SQL assignments that mark a row as taken (e.g. the new state)
     */
    public List<Claim> claim(String dueState, String heldState, String claimedSet, Duration lease, int max) {
        return claim(dueState, heldState, claimedSet, lease, max, Order.DUE_FIRST);
    }

    /** Which claimable rows come first. */
    public enum Order {
        /** The earliest due time first (the index order). */
        DUE_FIRST("due_at"),
        /** The earliest {@code window_ends_at} first: under a backlog, the call whose window closes first goes first. */
        WINDOW_FIRST("window_ends_at");

        private final String column;

        Order(String column) {
            this.column = column;
        }
    }

    /** As {@link #claim(String, String, String, Duration, int)}, candidates taken in the given order. */
    public List<Claim> claim(String dueState, String heldState, String claimedSet, Duration lease, int max, Order order) {
        if (max <= 0) {
            return List.of();
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<CallKey> candidates = new ArrayList<>(jdbc.query(
                "SELECT provider, call_id FROM bridge_call WHERE state = ? AND due_at <= ? ORDER BY " + order.column + " LIMIT ?",
                (rs, i) -> new CallKey(rs.getString(1), rs.getString(2)), dueState, now, max));
        if (candidates.size() < max) {
            candidates.addAll(jdbc.query(
                    "SELECT provider, call_id FROM bridge_call WHERE state = ? AND claimed_until < ? ORDER BY " + order.column + " LIMIT ?",
                    (rs, i) -> new CallKey(rs.getString(1), rs.getString(2)), heldState, now, max - candidates.size()));
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        String token = UUID.randomUUID().toString();
        OffsetDateTime until = now.plus(lease);
        List<Object[]> rows = candidates.stream()
                .map(key -> new Object[] {node.id(), until, token, key.provider(), key.callId(), dueState, now, heldState, now})
                .toList();
        int[] taken = transactions.execute(tx -> jdbc.batchUpdate("""
                UPDATE bridge_call SET %s, claimed_by = ?, claimed_until = ?, claim_token = ?
                 WHERE provider = ? AND call_id = ? AND %s""".formatted(claimedSet, CLAIMABLE), rows));
        List<Claim> claims = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            if (taken[i] == 1) {
                claims.add(new Claim(candidates.get(i), token));
            }
        }
        return claims;
    }
}
