package callbridge.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import callbridge.ingest.EventValidator;
import callbridge.ingest.InvalidEventException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A declaration's values read from a parsed webhook in a real Camel context (its JSONPath and simple): a dedupe key
 * made of several values, and the 400 of {@code a ?? b} when one of them is a header.
 */
class ProviderDeclarationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CamelContext camel;

    @BeforeAll
    static void start() {
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    static void stop() {
        camel.stop();
    }

    @Test
    void aDedupeKeyOfSeveralValuesIsThemJoinedBySlash() throws Exception {
        ProviderDeclaration declaration = declaration("$.trace ?? ${header.X-Trace}, $.name ?? ${header.X-Event}");
        assertThat(dedupeKey(declaration, "{\"trace\":\"t1\",\"name\":\"call.started\",\"id\":\"c\"}", Map.of()))
                .isEqualTo("t1/call.started");
        // each value from wherever its ?? finds it: the header when the body has none (or an empty one)
        assertThat(dedupeKey(declaration, "{\"id\":\"c\"}", Map.of("X-Trace", "t2", "X-Event", "call.ended"))).isEqualTo("t2/call.ended");
        assertThat(dedupeKey(declaration, "{\"trace\":\"\",\"name\":\"call.started\",\"id\":\"c\"}", Map.of("X-Trace", "t3")))
                .isEqualTo("t3/call.started");
        // the body outranks the header; numbers are their text
        assertThat(dedupeKey(declaration, "{\"trace\":42,\"name\":\"call.started\",\"id\":\"c\"}", Map.of("X-Trace", "t4")))
                .isEqualTo("42/call.started");
    }

    @Test
    void aDedupeKeyWithOneValueMissingIsNoKey() throws Exception {
        ProviderDeclaration declaration = declaration("$.trace ?? ${header.X-Trace}, $.name ?? ${header.X-Event}");
        assertThat(dedupeKey(declaration, "{\"name\":\"call.started\",\"id\":\"c\"}", Map.of())).isNull();
        assertThat(dedupeKey(declaration, "{\"name\":\"call.started\",\"id\":\"c\"}", Map.of("X-Trace", ""))).isNull();
        // one value, as before: the value itself, a comma inside ${...} or brackets separates nothing
        assertThat(dedupeKey(declaration("${header.X-Trace}"), "{\"name\":\"e\",\"id\":\"c\"}", Map.of("X-Trace", "a,b"))).isEqualTo("a,b");
        assertThat(dedupeKey(declaration("$['trace']"), "{\"trace\":\"t5\",\"name\":\"e\",\"id\":\"c\"}", Map.of())).isEqualTo("t5");
        assertThat(dedupeKey(declaration("call_started"), "{\"name\":\"e\",\"id\":\"c\"}", Map.of())).isEqualTo("call_started");
    }

    @Test
    void partsSplitAtTopLevelCommasOnly() {
        assertThat(ProviderDeclaration.parts("$.a ?? ${header.X-A}, $['b,c'], ${in.header.d}, $.e[0,1]"))
                .containsExactly("$.a ?? ${header.X-A}", "$['b,c']", "${in.header.d}", "$.e[0,1]");
        assertThat(ProviderDeclaration.parts("one")).containsExactly("one");
        assertThat(ProviderDeclaration.parts("a,")).containsExactly("a", "");
    }

    @Test
    void aMissingValueOfBodyOrHeaderNamesBoth() throws Exception {
        ProviderDeclaration declaration = declaration("$.trace");
        assertThatThrownBy(() -> declaration.process(exchange("{\"trace\":\"t\",\"id\":\"c\"}", Map.of())))
                .isInstanceOf(InvalidEventException.class).hasMessage("missing required field: name (or header X-Event)");
        assertThatThrownBy(() -> declaration.process(exchange("{\"trace\":\"t\",\"id\":\"c\"}", Map.of("X-Event", ""))))
                .isInstanceOf(InvalidEventException.class).hasMessage("missing required field: name (or header X-Event)");
        // found, the field is the one that gave it (a too-long event type's 400 names it)
        Exchange fromHeader = exchange("{\"id\":\"c\"}", Map.of("X-Event", "call.started"));
        declaration.process(fromHeader);
        assertThat(fromHeader.getProperty(EventValidator.EVENT_TYPE_FIELD)).isEqualTo("header X-Event");
        assertThat(fromHeader.getProperty("bridgeEventKind")).isEqualTo("STARTED");
        Exchange fromBody = exchange("{\"name\":\"call.started\",\"id\":\"c\"}", Map.of("X-Event", "call.ended"));
        declaration.process(fromBody);
        assertThat(fromBody.getProperty(EventValidator.EVENT_TYPE_FIELD)).isEqualTo("name");
        assertThat(fromBody.getProperty("bridgeEventType")).isEqualTo("call.started");
    }

    @Test
    void aMissingValueOfBodyFieldsAloneNamesTheClosest() throws Exception {
        ProviderDeclaration declaration = new ProviderDeclaration();
        declaration.setCamelContext(camel);
        declaration.setEventType("$.type");
        declaration.setCallId("$.payload.call_id ?? $.payload.call.id");
        declaration.setEvents(Map.of("started", "STARTED"));
        declaration.build();
        assertThatThrownBy(() -> declaration.process(exchange("{\"type\":\"started\",\"payload\":{\"call\":{}}}", Map.of())))
                .hasMessage("missing required field: payload.call.id");
        assertThatThrownBy(() -> declaration.process(exchange("{\"type\":\"started\",\"payload\":{}}", Map.of())))
                .hasMessage("missing required field: payload.call_id");
    }

    private static ProviderDeclaration declaration(String dedupeKey) {
        ProviderDeclaration declaration = new ProviderDeclaration();
        declaration.setCamelContext(camel);
        declaration.setEventType("$.name ?? ${header.X-Event}");
        declaration.setCallId("$.id");
        declaration.setDedupeKey(dedupeKey);
        declaration.setEvents(Map.of("call.started", "STARTED"));
        return declaration.build();
    }

    private static Object dedupeKey(ProviderDeclaration declaration, String body, Map<String, String> headers) throws Exception {
        Exchange exchange = exchange(body, headers);
        declaration.process(exchange);
        return exchange.getProperty("bridgeDedupeKey");
    }

    private static Exchange exchange(String body, Map<String, String> headers) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(JSON.readValue(body, Map.class));
        headers.forEach(exchange.getMessage()::setHeader);
        return exchange;
    }

}
