package callbridge.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The node's assembly budget: calls share it, a call that does not fit waits, one larger than all of it runs alone. */
class AssemblyBudgetTest {
    private final AssemblyBudget budget = new AssemblyBudget(new CallsProperties(null, null, false, null, null, null, 3, 10000,
            DataSize.ofMegabytes(32), DataSize.ofMegabytes(160), DataSize.ofKilobytes(100)), new SimpleMeterRegistry());

    @Test
    void callsShareTheBudgetAndACallThatDoesNotFitWaitsUntilRoomIsGivenBack() {
        AssemblyBudget.Reservation first = budget.tryReserve(60 * 1024);
        assertThat(first).isNotNull();
        assertThat(budget.tryReserve(50 * 1024)).isNull();
        AssemblyBudget.Reservation second = budget.tryReserve(40 * 1024);
        assertThat(second).isNotNull();
        first.close();
        first.close();   // given back once only
        assertThat(budget.tryReserve(61 * 1024)).isNull();
        assertThat(budget.tryReserve(60 * 1024)).isNotNull();
    }

    @Test
    void aCallLargerThanTheWholeBudgetRunsAloneOnly() {
        AssemblyBudget.Reservation small = budget.tryReserve(1);
        assertThat(budget.tryReserve(500 * 1024)).isNull();
        small.close();
        AssemblyBudget.Reservation alone = budget.tryReserve(500 * 1024);
        assertThat(alone).isNotNull();
        assertThat(budget.tryReserve(1)).isNull();
        alone.close();
        assertThat(budget.tryReserve(100 * 1024)).isNotNull();
    }
}
