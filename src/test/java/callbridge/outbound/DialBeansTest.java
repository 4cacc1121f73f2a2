package callbridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.mock.env.MockEnvironment;

/** The small beans behind the dial route files, without Camel routes or Spring. */
class DialBeansTest {

    @Test
    void dialPropertiesBecomeTheJsonBodyNestedByDotsWithoutEmptyValuesOrOtherHeaders() throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("X-CEKURA-SECRET", "must-not-travel");
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("name", "Ada");
        variables.put("note", null);
        exchange.setProperty("dial.assistantId", "asst_1");
        exchange.setProperty("dial.customer.number", "+14155550101");
        exchange.setProperty("dial.assistantOverrides.variableValues", variables);
        exchange.setProperty("dial.override_agent_id", "");          // an optional setting left unset
        exchange.setProperty("dial.missing", null);
        exchange.setProperty("dialogue", "not a field");
        exchange.setProperty("bridgeToNumber", "+14155550101");
        new DialRequest().process(exchange);
        JSONAssert.assertEquals("{\"assistantId\":\"asst_1\",\"customer\":{\"number\":\"+14155550101\"},"
                + "\"assistantOverrides\":{\"variableValues\":{\"name\":\"Ada\",\"note\":null}}}",
                exchange.getMessage().getBody(String.class), JSONCompareMode.STRICT);
        assertThat(exchange.getMessage().getHeaders()).containsOnlyKeys(Exchange.HTTP_METHOD, Exchange.CONTENT_TYPE);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_METHOD)).isEqualTo("POST");
    }

    @Test
    void stringValuesTurnEveryValueIntoText() throws Exception {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("name", "Ada");
        variables.put("visits", 3);
        variables.put("vip", false);
        variables.put("plan", Map.of("tier", "gold"));
        variables.put("tags", List.of("a", "b"));
        variables.put("none", null);
        assertThat(new DialRequest().stringValues(variables)).containsExactly(Map.entry("name", "Ada"), Map.entry("visits", "3"),
                Map.entry("vip", "false"), Map.entry("plan", "{\"tier\":\"gold\"}"), Map.entry("tags", "[\"a\",\"b\"]"), Map.entry("none", ""));
        assertThat(new DialRequest().stringValues(null)).isEmpty();
    }

    @Test
    void phoneNumberIdsReadTheMapAndRefuseWhatIsNotInIt() {
        PhoneNumberIds ids = new PhoneNumberIds(new MockEnvironment()
                .withProperty("vapi.phone-number-ids", " +15551234567=pn_1 , +15557654321 = pn_2,")
                .withProperty("x.phone-number-ids", "+15551234567"));
        assertThat(ids.idFor("vapi.phone-number-ids", "+15557654321")).isEqualTo("pn_2");
        assertThat(ids.map("vapi.phone-number-ids")).containsExactly(Map.entry("+15551234567", "pn_1"), Map.entry("+15557654321", "pn_2"));
        assertThatThrownBy(() -> ids.idFor("vapi.phone-number-ids", "+15550000000")).isInstanceOf(NoPhoneNumberIdException.class)
                .hasMessage("from_number +15550000000 has no entry in VAPI_PHONE_NUMBER_IDS (+E164=id,...): add the platform's id of that number");
        assertThatThrownBy(() -> ids.map("x.phone-number-ids")).isInstanceOf(OutboundSettingsException.class)
                .hasMessageStartingWith("X_PHONE_NUMBER_IDS has an entry '+15551234567' that is not +E164=id");
    }

    @Test
    void answersWaitOnlyWhileSlotsRemainAndEndAtTheFirstOutcome() throws Exception {
        FirstDialWait wait = new FirstDialWait(1);
        assertThat(wait.expect("trg_1")).isTrue();
        assertThat(wait.expect("trg_2")).isFalse();                     // no slot: answered at once
        wait.dialed("trg_1", "call-1");
        assertThat(wait.await("trg_1", Duration.ofSeconds(5))).isEqualTo(new FirstDialWait.Outcome(true, "call-1"));
        assertThat(wait.expect("trg_3")).isTrue();                      // the slot came back
        wait.givenUp("trg_3");
        assertThat(wait.await("trg_3", Duration.ofSeconds(5)).dialed()).isFalse();
        assertThat(wait.expect("trg_4")).isTrue();
        assertThat(wait.await("trg_4", Duration.ofMillis(50))).isEqualTo(new FirstDialWait.Outcome(false, null));
        wait.forget("trg_4");                                           // idempotent: no second slot appears
        assertThat(wait.expect("trg_5")).isTrue();
        assertThat(wait.expect("trg_6")).isFalse();
    }

    @Test
    void variableNamesAreTheEnvironmentFormOfTheProperty() {
        assertThat(DialSettings.variable("elevenlabs.phone-number-ids")).isEqualTo("ELEVENLABS_PHONE_NUMBER_IDS");
        assertThat(OutboundStartCheck.directName("direct://bridge-dial-acme?timeout=1")).isEqualTo("bridge-dial-acme");
        assertThat(OutboundStartCheck.directName("seda:dial-acme")).isNull();
    }
}
