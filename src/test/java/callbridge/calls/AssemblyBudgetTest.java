package callbridge.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The node's assembly budget: calls share it, a call that does not fit waits, one larger than all of it runs alone. */
class AssemblyBudgetTest {
    private final MutableClock clock = new MutableClock();
    private final AssemblyBudget budget = new AssemblyBudget(new CallsProperties(null, null, false, null, null, null, 3, 10000,
            DataSize.ofMegabytes(32), DataSize.ofMegabytes(160), DataSize.ofKilobytes(100)), new SimpleMeterRegistry(), clock);

    @Test
    void callsShareTheBudgetAndACallThatDoesNotFitWaitsUntilRoomIsGivenBack() {
        AssemblyBudget.Reservation first = budget.tryReserve("first", 60 * 1024);
        assertThat(first).isNotNull();
        AssemblyBudget.Reservation second = budget.tryReserve("second", 40 * 1024);
        assertThat(second).isNotNull();
        assertThat(budget.tryReserve("third", 50 * 1024)).isNull();
        first.close();
        first.close();   // given back once only
        assertThat(budget.tryReserve("third", 61 * 1024)).isNull();
        assertThat(budget.tryReserve("third", 60 * 1024)).isNotNull();
    }

    @Test
    void aCallLargerThanTheWholeBudgetRunsAloneOnly() {
        AssemblyBudget.Reservation small = budget.tryReserve("small", 1);
        assertThat(budget.tryReserve("large", 500 * 1024)).isNull();
        small.close();
        AssemblyBudget.Reservation alone = budget.tryReserve("large", 500 * 1024);
        assertThat(alone).isNotNull();
        assertThat(budget.tryReserve("other", 1)).isNull();
        alone.close();
        assertThat(budget.tryReserve("other", 100 * 1024)).isNotNull();
    }

    @Test
    void aCallThatWaitsIsNotOvertakenForeverBySmallerOnes() {
        AssemblyBudget.Reservation held = budget.tryReserve("held", 60 * 1024);
        assertThat(budget.tryReserve("big", 80 * 1024)).isNull();      // the waiting call
        assertThat(budget.tryReserve("small", 10 * 1024)).isNull();    // would fit, but would keep the big one waiting
        held.close();
        AssemblyBudget.Reservation big = budget.tryReserve("big", 80 * 1024);
        assertThat(big).isNotNull();
        assertThat(budget.tryReserve("small", 10 * 1024)).isNotNull();  // room beside it now
    }

    @Test
    void aWaitingCallThatDoesNotComeBackStopsHoldingOthersBack() {
        AssemblyBudget.Reservation held = budget.tryReserve("held", 60 * 1024);
        assertThat(budget.tryReserve("gone", 80 * 1024)).isNull();
        assertThat(budget.tryReserve("small", 10 * 1024)).isNull();
        clock.advance(AssemblyBudget.WAITER_GONE.plusSeconds(1));
        assertThat(budget.tryReserve("small", 10 * 1024)).isNotNull();
        held.close();
    }

    /** The bridge's clock, moved by the test. */
    static final class MutableClock extends java.time.Clock {
        private java.time.Instant now = java.time.Instant.parse("2026-12-07T12:00:00Z");

        void advance(java.time.Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }
}
