package callbridge.calls;

import callbridge.BridgeConfiguration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The node's assembly memory budget ({@code BRIDGE_ASSEMBLY_MEMORY_BUDGET}, unset: a quarter of the maximum heap),
 * shared by the calls being assembled at once. Assembling a call parses all its events back at once; each call
 * takes its parsed size (the sum the ingest path keeps, {@code ingest.ParsedSize}) from the budget before its events
 * are read, and gives it back when its completion ends, whatever way it ends. A call that does not fit now is not
 * assembled: it is put back in the store and claimed again a moment later (nothing waits in memory, no failure is
 * counted). A call larger than the whole budget (a budget set below {@code BRIDGE_CALL_MAX_PARSED_BYTES}) takes all of
 * it: it is assembled alone, when nothing else is being assembled.
 *
 * <p>No call waits forever behind smaller ones: the first call refused becomes the waiting call, and while it waits
 * others are let in only if they leave room for it, so the budget drains towards it. A waiting call that has not come
 * back for {@link #WAITER_GONE} (taken over by another node, or done) stops holding others back.
 */
@Component("bridgeAssemblyBudget")
public class AssemblyBudget {
    /** Permits are KiB: an int counts up to 2 TiB. */
    private static final long UNIT = 1024;

    /** A waiting call that has not asked again for this long is gone (calls that wait ask again every 500 ms). */
    static final Duration WAITER_GONE = Duration.ofSeconds(10);

    /** The call the budget drains towards: its key, what it needs, when it last asked. */
    private record Waiter(String call, int need, Instant askedAt) {
    }

    private final Semaphore permits;
    private final int total;
    private final Clock clock;
    private Waiter waiter;

    public AssemblyBudget(CallsProperties calls, MeterRegistry registry, @Qualifier(BridgeConfiguration.CLOCK) Clock clock) {
        this.clock = clock;
        long bytes = calls.assemblyMemoryBudget() != null ? calls.assemblyMemoryBudget().toBytes() : Runtime.getRuntime().maxMemory() / 4;
        this.total = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / UNIT));
        this.permits = new Semaphore(total);
        Gauge.builder("bridge.assembly.memory.reserved", this, budget -> (double) (budget.total - budget.permits.availablePermits()) * UNIT)
                .description("Parsed bytes of the calls being assembled now, taken from the node's assembly memory budget")
                .baseUnit("bytes").register(registry);
        Gauge.builder("bridge.assembly.memory.budget", this, budget -> (double) budget.total * UNIT)
                .description("The node's assembly memory budget (BRIDGE_ASSEMBLY_MEMORY_BUDGET)").baseUnit("bytes").register(registry);
    }

    /** Room for the call {@code call} (any key naming it) of this parsed size now, or null: the call waits. */
    public synchronized Reservation tryReserve(String call, long parsedBytes) {
        int need = (int) Math.min(total, Math.max(1, (parsedBytes + UNIT - 1) / UNIT));
        Instant now = clock.instant();
        if (waiter != null && waiter.askedAt().plus(WAITER_GONE).isBefore(now)) {
            waiter = null;
        }
        boolean isWaiter = waiter != null && waiter.call().equals(call);
        boolean leavesRoom = waiter == null || isWaiter || permits.availablePermits() - need >= waiter.need();
        if (leavesRoom && permits.tryAcquire(need)) {
            if (isWaiter) {
                waiter = null;
            }
            return new Reservation(need);
        }
        if (waiter == null || isWaiter) {
            waiter = new Waiter(call, need, now);
        }
        return null;
    }

    /** What one assembly holds; given back once, however often {@link #close} is called. */
    public final class Reservation implements AutoCloseable {
        private final int held;
        private final AtomicBoolean released = new AtomicBoolean();

        private Reservation(int held) {
            this.held = held;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                permits.release(held);
            }
        }
    }
}
