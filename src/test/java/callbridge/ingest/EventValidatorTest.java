package callbridge.ingest;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callbridge.calls.CallEvent;
import callbridge.calls.CallEventKind;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
    final EventValidator validator = new EventValidator();

    @Test
    void whatTheStoreHoldsPasses() {
        assertThatCode(() -> validator.process(exchange("p".repeat(64), "c".repeat(255), "t".repeat(255))))
                .doesNotThrowAnyException();
        assertThatCode(() -> validator.process(exchange("salpre", null, "agent_status"))).doesNotThrowAnyException();
        assertThatCode(() -> validator.process(exchange("salpre", "Müller/東京 #1?x=y", "call.ended"))).doesNotThrowAnyException();
    }

    @Test
    void tooLongForItsColumnIs400NamingTheField() {
        refused(exchange("salpre", "c".repeat(256), "call_ended"), "field call id is longer than 255 characters");
        refused(exchange("salpre", "c1", "t".repeat(256)), "field event type is longer than 255 characters");
        refused(exchange("p".repeat(65), "c1", "call_ended"), "provider name is longer than 64 characters");
        Exchange named = exchange("salpre", "c".repeat(300), "call_ended");
        named.setProperty(EventValidator.CALL_ID_FIELD, "payload.call_id");
        refused(named, "field payload.call_id is longer than 255 characters");
    }

    @Test
    void controlCharactersAndLineBreaksAre400() {
        for (String bad : new String[] {"c1\nERROR forged", "c1\r", "c\t1", "c1\u2028", "c1\u2029", "c1\u0085", "c1\u0000"}) {
            refused(exchange("salpre", bad, "call_ended"), "field call id must not contain control characters or line breaks");
            Exchange named = exchange("salpre", "c1", bad);
            named.setProperty(EventValidator.EVENT_TYPE_FIELD, "event_type");
            refused(named, "field event_type must not contain control characters or line breaks");
        }
    }

    private static Exchange exchange(String provider, String callId, String eventType) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(new CallEvent(provider, callId, CallEventKind.OTHER, eventType, null,
                null, null, null, null, null, null, null, false));
        return exchange;
    }

    private void refused(Exchange exchange, String message) {
        assertThatThrownBy(() -> validator.process(exchange)).isInstanceOf(InvalidEventException.class).hasMessage(message);
    }
}
