package callbridge.ingest;

/** What storing one event did. */
public enum AppendOutcome {
    /** New event, folded into its open call (or it belongs to no call). */
    STORED,
    /** New event for a call that is already closed: kept, not forwarded. */
    STORED_LATE,
    /** Same dedupe key seen before: nothing changed. */
    DUPLICATE,
    /** The call already holds its most events or bytes: not kept (422), and the call is closed. */
    OVER_LIMIT,
    /** The event alone, parsed, is beyond what one call may hold ({@code BRIDGE_CALL_MAX_PARSED_BYTES}): not kept (422), its call untouched. */
    TOO_LARGE
}
