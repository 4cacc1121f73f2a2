package callbridge.delivery;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * The split over one poll's claimed calls ends with the list of those ready to send
 * ({@link ReadyDelivery#PROPERTY} of each completion) as its body; calls still gathering, test
 * calls, dry runs and failed completions add nothing.
 */
public class ReadyDeliveries implements AggregationStrategy {

    @Override
    @SuppressWarnings("unchecked")
    public synchronized Exchange aggregate(Exchange collected, Exchange completed) {
        Exchange result = collected != null ? collected : completed;
        if (collected == null) {
            result.getMessage().setBody(new ArrayList<ReadyDelivery>());
        }
        ReadyDelivery ready = completed.getProperty(ReadyDelivery.PROPERTY, ReadyDelivery.class);
        if (ready != null) {
            result.getMessage().getBody(List.class).add(ready);
        }
        return result;
    }
}
