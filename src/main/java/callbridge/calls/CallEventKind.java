package callbridge.calls;

/** What one provider event means for the call it belongs to; every provider maps onto these. */
public enum CallEventKind {
    STARTED, RINGING, ANSWERED,
    /** Live transcript line(s), spoken while the call runs. */
    TRANSCRIPT,
    /** The call is over; may carry the final transcript. */
    ENDED,
    ERROR,
    /** Facts about a known call arriving on their own (transfer, analysis, recording, score, summary...). */
    UPDATE,
    /** An event type the provider route does not know: kept and counted, never opens a call. */
    OTHER;

    /** Events of these kinds close the call (after the grace). */
    public boolean endsCall() {
        return this == ENDED;
    }
}
