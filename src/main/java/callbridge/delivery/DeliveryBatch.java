package callbridge.delivery;

import callbridge.claims.Claim;
import java.util.List;

/**
 * Claimed calls to go to Cekura in one POST: what the senders' queue carries (claims, no payloads). Completion hands
 * over one call; {@code bridge-deliveries-due} groups the calls a backlog leaves waiting in the store, up to
 * {@code CEKURA_BATCH_MAX} a POST.
 */
public record DeliveryBatch(List<Claim> claims) {
    public DeliveryBatch {
        claims = List.copyOf(claims);
    }

    public static DeliveryBatch of(Claim claim) {
        return new DeliveryBatch(List.of(claim));
    }

    /** The body a delivery step receives: a batch, or the one claim completion hands over. */
    static DeliveryBatch from(Object body) {
        if (body instanceof DeliveryBatch batch) {
            return batch;
        }
        if (body instanceof Claim claim) {
            return of(claim);
        }
        throw new IllegalArgumentException("not a claimed call or batch: " + (body == null ? "null" : body.getClass().getName()));
    }
}
