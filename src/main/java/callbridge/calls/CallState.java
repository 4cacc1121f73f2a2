package callbridge.calls;

/** The life of a call row in the store. */
public enum CallState {
    /** Gathering events; {@code due_at} is when it closes (end + grace, or last event + idle timeout). */
    OPEN,
    /** Claimed by a node that is assembling it. */
    COMPLETING,
    /** Assembled; waiting for its next delivery attempt at {@code due_at}. */
    PENDING,
    /** Claimed by a node that is sending it to Cekura. */
    DELIVERING,
    /** Cekura answered 2xx. */
    DELIVERED,
    /** Given up; listed in the dead letters. */
    DEAD_LETTERED,
    /** No Cekura URL configured: the payload is recorded, not sent. */
    DRY_RUN,
    /** Only provider test-button events, and forwarding them is off. */
    TEST_NOT_FORWARDED
}
