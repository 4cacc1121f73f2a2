package callbridge.outbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Builds a dial route's request from the exchange properties named {@code dial.<field>}: a dotted name is a nested
 * object ({@code dial.customer.number} → {@code {"customer": {"number": ...}}}), a map stays an object, a null or
 * empty value is left out (an optional setting that is unset). The message becomes a {@code POST} with that JSON
 * body and no other header: the route adds its platform's credential. Written with the bridge's own mapper, so
 * what a platform gets never depends on a host application's Jackson settings.
 */
@Component("bridgeDialRequest")
public class DialRequest implements Processor {
    public static final String FIELD = "dial.";
    private final ObjectMapper json = JsonMapper.builder().build();

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> fields = new TreeMap<>();
        exchange.getProperties().forEach((name, value) -> {
            if (name.startsWith(FIELD) && name.length() > FIELD.length()) {
                fields.put(name.substring(FIELD.length()), value);
            }
        });
        fields.forEach((path, value) -> {
            if (value != null && !(value instanceof String text && text.isEmpty())) {
                put(body, path.split("\\."), value);
            }
        });
        Message request = exchange.getMessage();
        request.getHeaders().clear();
        request.setHeader(Exchange.HTTP_METHOD, "POST");
        request.setHeader(Exchange.CONTENT_TYPE, "application/json");
        request.setBody(json.writeValueAsString(body));
    }

    /**
     * Every value as a string, for a platform that takes only strings (Retell's dynamic variables): text as it is,
     * numbers and booleans as their JSON text, an object or a list as its JSON, null as "".
     */
    public Map<String, String> stringValues(Map<?, ?> values) throws JsonProcessingException {
        Map<String, String> strings = new LinkedHashMap<>();
        if (values != null) {
            for (var entry : values.entrySet()) {
                Object value = entry.getValue();
                strings.put(String.valueOf(entry.getKey()), value == null ? ""
                        : value instanceof String text ? text : json.writeValueAsString(value));
            }
        }
        return strings;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> into, String[] path, Object value) {
        Map<String, Object> at = into;
        for (int i = 0; i < path.length - 1; i++) {
            Object next = at.get(path[i]);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                at.put(path[i], next);
            }
            at = (Map<String, Object>) next;
        }
        at.put(path[path.length - 1], value);
    }
}
