package callbridge.delivery;

import callbridge.BridgeConfiguration;
import com.netflix.concurrency.limits.Limit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The attempts between their POST to Cekura and the record of their outcome on disk: the calls a kill -9 may send
 * twice. Every attempt (first try or retry) takes a slot before its POST and gives it back once its outcome is recorded.
 * How many slots there are follows Cekura: the {@code bridgeCekuraLimit} (AIMD) grows by one per quick 2xx while the
 * slots are in use and shrinks on a 429, a 5xx or no answer, never above {@code CEKURA_MAX_IN_FLIGHT}. A
 * {@code Retry-After} from Cekura pauses every slot of the node until that instant ({@link #pauseUntil}).
 * Waiters are served in arrival order (a fair lock), so a call is not overtaken forever.
 */
@Component("bridgeSendSlots")
public class SendSlots {
    private static final String HELD = "bridgeSendSlotHeld";

    /** How the attempt that held a slot went, as the adaptive bound hears it. */
    public enum Outcome {
        /** Cekura answered quickly, in any non-overload way: the bound may grow. */
        ANSWERED,
        /** 429, 5xx, 408, a timeout or no connection: Cekura is struggling, the bound shrinks. */
        OVERLOADED,
        /** Nothing was learnt about Cekura (nothing sent, or the bookkeeping failed). */
        UNKNOWN
    }

    private final Limit limit;
    private final int ceiling;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition changed = lock.newCondition();
    private int inFlight;
    /** Senders holding claims, waiting for a slot: handed over, not started. */
    private int waiting;
    private int peak;
    private Instant pausedUntil = Instant.MIN;

    public SendSlots(@Qualifier("bridgeCekuraLimit") Limit limit, CekuraProperties cekura,
            @Qualifier(BridgeConfiguration.CLOCK) Clock clock, MeterRegistry metrics) {
        this.limit = limit;
        this.ceiling = cekura.maxInFlight();
        this.clock = clock;
        Gauge.builder("bridge.delivery.in.flight", this, SendSlots::inFlight)
                .description("Attempts between their POST to Cekura and the record of their outcome").register(metrics);
        Gauge.builder("bridge.delivery.in.flight.limit", this, SendSlots::bound)
                .description("The adaptive bound on attempts in flight to Cekura (at most CEKURA_MAX_IN_FLIGHT)").register(metrics);
        Gauge.builder("bridge.delivery.in.flight.peak", this, SendSlots::peak)
                .description("The most attempts in flight to Cekura at once since the start").register(metrics);
    }

    /**
     * Before a POST: waits for a free slot, and while the node is paused by a Retry-After (this exchange holds at most
     * one slot). Whatever way the exchange ends, its slot is given back then at the latest.
     */
    public void take(Exchange exchange) throws InterruptedException {
        if (exchange.getProperty(HELD) != null) {
            return;
        }
        lock.lockInterruptibly();
        waiting++;
        try {
            while (true) {
                Duration paused = Duration.between(clock.instant(), pausedUntil);
                if (!paused.isNegative() && !paused.isZero()) {
                    changed.await(paused.toNanos(), TimeUnit.NANOSECONDS);
                } else if (inFlight < bound()) {
                    break;
                } else {
                    changed.await();
                }
            }
            inFlight++;
            peak = Math.max(peak, inFlight);
        } finally {
            waiting--;
            lock.unlock();
        }
        exchange.setProperty(HELD, System.nanoTime());
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                give(done, Outcome.UNKNOWN);
            }
        });
    }

    /** Once the attempt's outcome is recorded (or nothing was sent): the slot is free again, and the bound learns. */
    public void give(Exchange exchange, Outcome outcome) {
        Long takenAt = (Long) exchange.removeProperty(HELD);
        if (takenAt == null) {
            return;
        }
        if (outcome != Outcome.UNKNOWN) {
            // the bound learns first (outside this lock: the limit has its own), then the waiters see the new bound
            limit.onSample(takenAt, System.nanoTime() - takenAt, inFlight(), outcome == Outcome.OVERLOADED);
        }
        lock.lock();
        try {
            inFlight--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Cekura said when to come back (a 429's Retry-After): no attempt of this node starts before then. */
    public void pauseUntil(Instant until) {
        lock.lock();
        try {
            if (until.isAfter(pausedUntil)) {
                pausedUntil = until;
                changed.signalAll();   // waiters re-arm their wait on the later instant
            }
        } finally {
            lock.unlock();
        }
    }

    /** The slots there are now: the adaptive bound, within the ceiling. */
    public int bound() {
        return Math.max(1, Math.min(ceiling, limit.getLimit()));
    }

    /**
     * How many more POSTs the node can start soon: its free slots and a quarter of the bound more, ready for the next
     * free slot, less the senders already waiting for one; none while the node is paused.
     */
    public int startable() {
        lock.lock();
        try {
            int bound = bound();
            return clock.instant().isBefore(pausedUntil) ? 0 : Math.max(0, bound - inFlight + (bound + 3) / 4 - waiting);
        } finally {
            lock.unlock();
        }
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    public int peak() {
        lock.lock();
        try {
            return peak;
        } finally {
            lock.unlock();
        }
    }
}
