package callbridge.claims;

import org.apache.camel.Processor;

/**
 * An Error (an {@code OutOfMemoryError}, a {@code StackOverflowError}) thrown by one of the bridge's steps in a
 * background route, as an exception its route's error handling sees.
 *
 * <p>Why: in Camel 4.18 a processor step ({@code DelegateSyncProcessor}) turns an {@code Exception} or a
 * {@code LinkageError} into the exchange's exception, but any other Error passes up the thread's stack past the route's
 * {@code onException}, {@code doCatch} and {@code doFinally}: the exchange is never finished (it stays in flight), a
 * {@code seda} consumer's thread ends for good ({@code SedaConsumer.doRun} catches Exception only), a thread pool's worker
 * dies mid-split. A step wrapped by {@link #surviving} throws this instead, so the route handles it like any failure:
 * {@code PollerErrors} logs it and the next poll runs, a completion puts its call back, a delivery leaves its call to
 * the lease. {@code StoreFaults} counts it as a passing fault when the Error is the JVM's ({@code VirtualMachineError}).
 */
public class StepError extends Exception {
    public StepError(Error error) {
        super(error.toString(), error);
    }

    /** The step, with any Error it throws turned into a {@link StepError}. */
    public static Processor surviving(Processor step) {
        return exchange -> {
            try {
                step.process(exchange);
            } catch (Error error) {
                throw new StepError(error);
            }
        };
    }
}
