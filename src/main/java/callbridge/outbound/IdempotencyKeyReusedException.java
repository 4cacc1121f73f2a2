package callbridge.outbound;

import callbridge.ingest.RefusedException;

/** A trigger's Idempotency-Key was used before for a trigger with other numbers or variables: answered 422. */
public class IdempotencyKeyReusedException extends RefusedException {
    public IdempotencyKeyReusedException(String message) {
        super(message);
    }
}
