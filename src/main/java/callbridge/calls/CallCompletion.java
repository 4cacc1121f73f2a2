package callbridge.calls;

import callbridge.BridgeConfiguration;
import callbridge.BridgeJson;
import callbridge.LogSafe;
import callbridge.claims.CallKey;
import callbridge.claims.Claim;
import callbridge.delivery.CekuraCall;
import callbridge.delivery.CekuraProperties;
import callbridge.delivery.DeliveryLedger;
import callbridge.store.StoreFaults;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Closes a claimed call: assembles it, records the exact payload, and decides what happens next
 * (deliver now: {@link #SEND_NOW}; dry run; or not forwarded because it was only test events).
 */
@Component("bridgeCallCompletion")
public class CallCompletion {
    /** Exchange property: true when the claimed call had events since and goes on gathering. */
    public static final String STILL_GATHERING = "bridgeStillGathering";
    /** Exchange property: true when the completed call is to be sent to Cekura now (its claim is the body). */
    public static final String SEND_NOW = "bridgeSendNow";
    static final String CLAIM = "bridgeCompletingClaim";
    private static final Logger LOG = LoggerFactory.getLogger(CallCompletion.class);
    private static final Duration STORE_RETRY = Duration.ofSeconds(1);
    /** A call whose provider's hook had no free worker is claimed again this much later. */
    private static final Duration HOOK_BUSY_RETRY = Duration.ofSeconds(1);
    /** A call that does not fit in the node's assembly memory budget now is claimed again this much later. */
    private static final Duration MEMORY_RETRY = Duration.ofMillis(500);
    /** Exchange property: the call waits for assembly memory (put back in the store), not assembled now. */
    static final String WAITS_FOR_MEMORY = "bridgeWaitsForMemory";
    static final String RESERVATION = "bridgeAssemblyReservation";

    private final CallStore store;
    private final CallAssembler assembler;
    private final ObjectMapper json;
    private final Clock clock;
    private final CekuraProperties cekura;
    private final CallsProperties calls;
    private final DeliveryLedger ledger;
    private final AssemblyBudget budget;

    public CallCompletion(CallStore store, CallAssembler assembler, BridgeJson json, @Qualifier(BridgeConfiguration.CLOCK) Clock clock,
            CekuraProperties cekura, CallsProperties calls, DeliveryLedger ledger, AssemblyBudget budget) {
        this.budget = budget;
        this.store = store;
        this.assembler = assembler;
        this.json = json.mapper();
        this.clock = clock;
        this.cekura = cekura;
        this.calls = calls;
        this.ledger = ledger;
    }

    /**
     * Makes the claimed call, with its stored events, the body; the provider's hook may add to it.
     * A call claimed for its idle timeout whose last event came later than its due time assumed
     * goes back to gathering instead ({@link #STILL_GATHERING}): events in the middle of a call do
     * not move the call's due time on arrival, so the idle timeout is checked here.
     * First the call's parsed size is taken from the node's {@link AssemblyBudget}: a call that does not fit now is put
     * back in the store ({@link #WAITS_FOR_MEMORY}) and claimed again a moment later; its events are not read.
     */
    public void load(Exchange exchange) throws Exception {
        Claim claim = exchange.getMessage().getMandatoryBody(Claim.class);
        exchange.setProperty(CLAIM, claim);
        exchange.setProperty(CallEvent.PROVIDER_PROPERTY, claim.provider());
        exchange.setProperty("bridgeCallId", claim.callId());
        AssemblyBudget.Reservation room = budget.tryReserve(claim.provider() + '/' + claim.callId(), store.parsedBytes(claim.key()));
        if (room == null) {
            putBack(claim, "waiting for assembly memory (BRIDGE_ASSEMBLY_MEMORY_BUDGET)", MEMORY_RETRY);
            exchange.setProperty(WAITS_FOR_MEMORY, true);
            LOG.debug("call provider={} callId={} waits for assembly memory", LogSafe.of(claim.provider()), LogSafe.of(claim.callId()));
            return;
        }
        exchange.setProperty(RESERVATION, room);
        StoredCall call = store.find(claim.key()).orElseThrow();
        exchange.getMessage().setBody(call);
        if (call.endedReceivedAt() == null) {
            Instant idleDue = call.lastEventAt().plus(calls.callIdleTimeout());
            if (idleDue.isAfter(clock.instant())) {
                store.keepGathering(claim, idleDue);
                exchange.setProperty(STILL_GATHERING, true);
            }
        }
    }

    /** The call is assembled now: not going on gathering, not waiting for memory. */
    public boolean assembleNow(Exchange exchange) {
        return exchange.getProperty(STILL_GATHERING) == null && exchange.getProperty(WAITS_FOR_MEMORY) == null;
    }

    /** The call's completion ended, whichever way: what it took from the assembly budget is given back. */
    public void releaseMemory(Exchange exchange) {
        AssemblyBudget.Reservation room = exchange.getProperty(RESERVATION, AssemblyBudget.Reservation.class);
        if (room != null) {
            room.close();
            exchange.removeProperty(RESERVATION);
        }
    }

    /**
     * Before the provider's hook runs (e.g. Verbex's API read, its retries included): the claim is held for
     * {@code BRIDGE_COMPLETION_HOOK_LEASE} from now, so no node takes the call over while its hook still waits.
     */
    public void holdForHook(Exchange exchange) {
        if (CompletionHooks.of(exchange) != null) {
            Claim claim = exchange.getProperty(CLAIM, Claim.class);
            store.holdUntil(claim, clock.instant().plus(calls.completionHookLease()));
        }
    }

    public void complete(Exchange exchange) throws Exception {
        Claim claim = exchange.getProperty(CLAIM, Claim.class);
        CallKey key = claim.key();
        StoredCall call = exchange.getMessage().getMandatoryBody(StoredCall.class);
        CekuraCall cekuraCall = assembler.assemble(call, store.outboundTriggerFacts(key), cekura.messageTimeUnit());
        String payload = json.writeValueAsString(CekuraCall.Envelope.of(cekura.agentId(), List.of(cekuraCall)));

        CallState next;
        if (call.test() && !calls.forwardTestEvents()) {
            next = CallState.TEST_NOT_FORWARDED;
        } else if (cekura.dryRun()) {
            next = CallState.DRY_RUN;
        } else {
            next = CallState.DELIVERING;
        }
        Instant now = clock.instant();
        Instant windowEnds = (call.endedReceivedAt() != null ? call.endedReceivedAt() : now).plus(cekura.deliveryWindow());
        boolean stillMine = store.completed(claim, payload, next, windowEnds, cekura.sendLease());
        if (stillMine && next == CallState.DELIVERING) {
            exchange.setProperty(SEND_NOW, true);
        }
        exchange.getMessage().setBody(claim);
        if (stillMine) {
            LOG.info("call completed provider={} callId={} outcome={} events={} messages={} closedBy={} sinceLastEventMs={}",
                    LogSafe.of(key.provider()), LogSafe.of(key.callId()), next.name().toLowerCase(), call.events().size(),
                    cekuraCall.messages().size(), call.endedReceivedAt() != null ? "end" : "idle-timeout",
                    Duration.between(call.lastEventAt(), now).toMillis());
        }
    }

    /**
     * Assembling the call failed (a bug, or a stored event that no longer reads): the call goes back
     * to gathering and is tried again later, {@code BRIDGE_COMPLETION_ATTEMPTS} times in all, then it
     * becomes a dead letter that ops see and can replay once the cause is fixed.
     */
    public void failed(Exchange exchange) {
        Claim claim = exchange.getProperty(CLAIM, Claim.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (StoreFaults.isPassing(cause)) {
            retryAfterStoreFault(claim, cause);
            return;
        }
        if (hookBusy(cause)) {
            putBack(claim, "provider's completion workers all busy", HOOK_BUSY_RETRY);
            LOG.debug("call provider={} callId={} waits for a free completion worker of its provider",
                    LogSafe.of(claim.provider()), LogSafe.of(claim.callId()));
            return;
        }
        String reason = "completion failed: " + cause;
        reason = reason.length() > 500 ? reason.substring(0, 500) + "…" : reason;
        int failures = store.completionFailures(claim);
        if (failures == 0) {
            return; // taken over meanwhile
        }
        if (failures >= calls.completionAttempts()) {
            store.countCompletionFailures(claim, failures);
            ledger.deadLettered(claim, reason, null, failures);
            return;
        }
        Instant retryAt = clock.instant().plus(calls.completionRetryDelay().multipliedBy(1L << (failures - 1)));
        store.retryCompletion(claim, failures, reason, retryAt);
        LOG.warn("call completion failed provider={} callId={} failures={} retryAt={} reason={}",
                LogSafe.of(claim.provider()), LogSafe.of(claim.callId()), failures, retryAt, LogSafe.of(reason));
    }

    /**
     * The store was briefly unavailable (a lock timeout, a lost connection), or the node out of memory: not the call's fault. It is tried
     * again a second later without counting a failure; if even putting it back fails,
     * its claim's lease runs out and any node takes it again.
     */
    private void retryAfterStoreFault(Claim claim, Exception cause) {
        LOG.warn("call completion met a passing store fault provider={} callId={}: {}; tried again, not counted",
                claim.provider(), claim.callId(), cause.toString());
        try {
            putBack(claim, "store briefly unavailable: " + cause.getClass().getSimpleName(), STORE_RETRY);
        } catch (RuntimeException storeStillAway) {
            LOG.warn("call provider={} callId={} resumes when its claim's lease runs out: {}",
                    claim.provider(), claim.callId(), storeStillAway.toString());
        }
    }

    /** Back to gathering, claimed again after {@code delay}, no failure counted. */
    private void putBack(Claim claim, String reason, Duration delay) {
        int failuresSoFar = store.completionFailures(claim) - 1;
        if (failuresSoFar >= 0) {
            store.retryCompletion(claim, failuresSoFar, reason, clock.instant().plus(delay));
        }
    }

    /**
     * The provider's hook runs on workers of its own ({@code threads} with {@code rejectedPolicy: Abort}): all were
     * busy, so the call waits in the store, not in memory, and a busy provider never takes the shared workers.
     */
    private static boolean hookBusy(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof RejectedExecutionException) {
                return true;
            }
        }
        return false;
    }
}
