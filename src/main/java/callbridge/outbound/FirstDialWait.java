package callbridge.outbound;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The trigger's answer waiting for its first dial: the answer registers before the hand-off, the dial route says
 * how it went (accepted with the platform's call id, or given up), and the answer stops waiting at that or at
 * {@code OUTBOUND_ANSWER_WAIT}, whichever comes first. A retryable failure does not end the wait: a retry may
 * still be accepted inside it. In memory on the node that took the trigger (which is also the node that dials it);
 * a trigger dialed elsewhere (the node died, another took over) is simply answered without a call id.
 * <p>
 * Each waiting answer holds a thread of the web pool; at most {@code bridge.outbound.max-answer-waits} wait at once,
 * the others are answered at once (without a call id), so that a dead platform cannot starve the webhooks.
 */
@Component
public class FirstDialWait {
    /** How the first dial went: {@code dialed} with the platform's call id (may be null), or not (yet). */
    public record Outcome(boolean dialed, String callId) {
        static final Outcome PENDING = new Outcome(false, null);
    }

    private final Map<String, CompletableFuture<Outcome>> waiting = new ConcurrentHashMap<>();
    private final Semaphore slots;

    public FirstDialWait(@Value("${bridge.outbound.max-answer-waits:32}") int maxWaits) {
        this.slots = new Semaphore(Math.max(0, maxWaits));
    }

    /** Before the hand-off: true when this answer may wait for the dial. */
    public boolean expect(String triggerId) {
        if (!slots.tryAcquire()) {
            return false;
        }
        waiting.put(triggerId, new CompletableFuture<>());
        return true;
    }

    /** The dial was accepted. */
    public void dialed(String triggerId, String callId) {
        complete(triggerId, new Outcome(true, callId));
    }

    /** The trigger was given up on (failed, expired): the answer need not wait any longer. */
    public void givenUp(String triggerId) {
        complete(triggerId, Outcome.PENDING);
    }

    /** Waits at most {@code wait} for what {@link #expect} registered; {@link Outcome#PENDING} when nothing came. */
    public Outcome await(String triggerId, Duration wait) throws InterruptedException {
        CompletableFuture<Outcome> outcome = waiting.get(triggerId);
        if (outcome == null) {
            return Outcome.PENDING;
        }
        try {
            return outcome.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException stillDialing) {
            return Outcome.PENDING;
        } catch (ExecutionException impossible) {
            return Outcome.PENDING;
        } finally {
            forget(triggerId);
        }
    }

    /** Ends the wait of this answer (idempotent): after {@link #await}, or when the request failed before it. */
    public void forget(String triggerId) {
        if (waiting.remove(triggerId) != null) {
            slots.release();
        }
    }

    private void complete(String triggerId, Outcome outcome) {
        CompletableFuture<Outcome> future = triggerId == null ? null : waiting.get(triggerId);
        if (future != null) {
            future.complete(outcome);
        }
    }
}
