package callbridge.calls;

/** What one provider event means for the call it belongs to; every provider maps onto these. */
public enum CallEventKind {
    STARTED, RINGING, ANSWERED, TRANSCRIPT, ENDED, ERROR, OTHER;

    /** Events of these kinds close the call (after the grace). */
    public boolean endsCall() {
        return this == ENDED;
    }
}
