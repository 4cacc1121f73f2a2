package callbridge.ingest;

import callbridge.calls.CallEvent;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * The durable, deduplicating store of incoming events: {@link #append} returns once the event survives a
 * kill -9, and tells whether it was new. Two ways to get there ({@link JournalConfiguration} picks one):
 * {@link GroupCommitJournal} commits every event to the database before the answer; {@link WriteAheadJournal}
 * appends it to a log file beside an embedded H2 store and moves it into the database in large batches.
 */
public interface EventJournal extends SmartLifecycle {

    /** Stores one event durably; returns once it would survive a kill -9. */
    AppendOutcome append(CallEvent event, byte[] raw, String dedupeKey);

    /**
     * Waits until every event answered before this call is in the database (readers such as the admin view
     * see what the providers were told was stored); false when that took longer than {@code atMost}.
     */
    boolean awaitInDatabase(Duration atMost);

    /** Starts before and stops after the web server and Camel, so no accepted request is left waiting. */
    @Override
    default int getPhase() {
        return Integer.MIN_VALUE / 2;
    }
}
