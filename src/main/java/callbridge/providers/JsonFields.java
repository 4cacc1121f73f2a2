package callbridge.providers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/** Small JSON helpers for provider routes, e.g. keeping a provider's unknown fields in metadata. */
@Component("bridgeJsonFields")
public class JsonFields {

    /** The object's fields except the named ones (comma-separated): what the route did not map. */
    public Map<String, Object> except(Object object, String names) {
        Map<String, Object> rest = new LinkedHashMap<>();
        if (object instanceof Map<?, ?> map) {
            Set<String> mapped = Set.of(names.split("\\s*,\\s*"));
            map.forEach((key, value) -> {
                if (!mapped.contains(String.valueOf(key))) {
                    rest.put(String.valueOf(key), value);
                }
            });
        }
        return rest;
    }
}
