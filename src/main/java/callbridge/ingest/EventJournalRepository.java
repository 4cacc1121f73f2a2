package callbridge.ingest;

import callbridge.calls.CallEvent;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.stereotype.Component;

/**
 * The {@link EventJournal} seen by Camel's idempotent consumer: adding a key <em>is</em> storing the
 * event under that key, in the same durable write, so "seen" and "stored" can never disagree.
 * Keys are never removed: a stored event stays a duplicate even if a later step fails.
 */
@Component("eventJournal")
public class EventJournalRepository extends ServiceSupport implements IdempotentRepository {
    /** Exchange property: the {@link AppendOutcome} of this request's event. */
    public static final String OUTCOME = "bridgeAppendOutcome";

    private final EventJournal journal;

    public EventJournalRepository(EventJournal journal) {
        this.journal = journal;
    }

    @Override
    public boolean add(Exchange exchange, String dedupeKey) {
        CallEvent event = exchange.getMessage().getBody(CallEvent.class);
        byte[] raw = exchange.getProperty(WebhookGuard.RAW_BODY, byte[].class);
        AppendOutcome outcome = journal.append(event, raw, dedupeKey);
        exchange.setProperty(OUTCOME, outcome);
        return outcome != AppendOutcome.DUPLICATE;
    }

    @Override
    public boolean add(String key) {
        throw new UnsupportedOperationException("events are added with their exchange");
    }

    @Override
    public boolean contains(String key) {
        return false;
    }

    @Override
    public boolean remove(String key) {
        return false;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the journal is never cleared from a route");
    }
}
