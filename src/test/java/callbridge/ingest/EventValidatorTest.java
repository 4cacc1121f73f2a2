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

    @Test
    void aLoneSurrogateIs400NamingTheFieldAPairPasses() {
        String lone = "must not contain a lone surrogate (U+D800 to U+DFFF without its pair)";
        for (String bad : new String[] {"c1" + (char) 0xD800, (char) 0xDC00 + "c1", "c" + (char) 0xDBFF + "x1"}) {
            refused(exchange("salpre", bad, "call_ended"), "field call id " + lone);
            refused(exchange("salpre", "c1", bad), "field event type " + lone);
        }
        assertThatCode(() -> validator.process(exchange("salpre", "c1 \uD83D\uDE00", "call_ended"))).doesNotThrowAnyException();
        Exchange inTranscript = new DefaultExchange(new DefaultCamelContext());
        inTranscript.getMessage().setBody(new CallEvent("salpre", "c1", CallEventKind.OTHER, "t", null, null, null, null, null, null,
                java.util.List.of(callbridge.calls.TranscriptLine.of("bot", "hi " + (char) 0xD800, null)),
                java.util.Map.of("summary", java.util.List.of("ok", "x" + (char) 0xDFFF)), false));
        refused(inTranscript, "field transcript[0].content " + lone);
        Exchange inMetadata = new DefaultExchange(new DefaultCamelContext());
        inMetadata.getMessage().setBody(new CallEvent("salpre", "c1", CallEventKind.OTHER, "t", null, null, null, null, null, null,
                null, java.util.Map.of("summary", java.util.List.of("ok", "x" + (char) 0xDFFF)), false));
        refused(inMetadata, "field metadata.summary[1] " + lone);
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
