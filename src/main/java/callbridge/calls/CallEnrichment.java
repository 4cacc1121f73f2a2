package callbridge.calls;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Folds what a provider's completion hook ({@code direct:bridge-complete-<provider>}) returned, canonical
 * event(s), into the call about to be assembled. Anything else (no hook, nothing found) leaves the call as is.
 */
@Component("bridgeCallEnrichment")
public class CallEnrichment implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange call, Exchange hook) {
        if (hook == null) {
            return call;
        }
        Object found = hook.getMessage().getBody();
        List<CallEvent> extra = new ArrayList<>();
        if (found instanceof CallEvent event) {
            extra.add(event);
        } else if (found instanceof List<?> list) {
            list.stream().filter(CallEvent.class::isInstance).map(CallEvent.class::cast).forEach(extra::add);
        }
        if (!extra.isEmpty()) {
            StoredCall stored = call.getMessage().getBody(StoredCall.class);
            List<CallEvent> events = new ArrayList<>(stored.events());
            events.addAll(extra);
            call.getMessage().setBody(new StoredCall(stored.key(), stored.state(), stored.test(), stored.firstEventAt(),
                    stored.lastEventAt(), stored.endedReceivedAt(), events));
        }
        return call;
    }
}
