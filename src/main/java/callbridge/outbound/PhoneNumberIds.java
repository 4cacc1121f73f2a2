package callbridge.outbound;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A platform's map from E.164 numbers to its own ids of them ({@code VAPI_PHONE_NUMBER_IDS},
 * {@code ELEVENLABS_PHONE_NUMBER_IDS}: {@code +E164=id,+E164=id}), read from the setting a dial route names:
 * {@code method: "idFor('vapi.phone-number-ids', ${exchangeProperty.bridgeFromNumber})"}.
 */
@Component("bridgePhoneNumberIds")
public class PhoneNumberIds {
    private static final Pattern E164 = Pattern.compile("\\+\\d{8,15}");

    private final Environment environment;
    private final Map<String, Map<String, String>> maps = new ConcurrentHashMap<>();

    public PhoneNumberIds(Environment environment) {
        this.environment = environment;
    }

    /** The platform's id of {@code number}; none is a {@link NoPhoneNumberIdException} (the trigger is failed). */
    public String idFor(String setting, String number) {
        String id = map(setting).get(number);
        if (id == null) {
            throw new NoPhoneNumberIdException("from_number " + number + " has no entry in " + DialSettings.variable(setting)
                    + " (+E164=id,...): add the platform's id of that number");
        }
        return id;
    }

    /** The parsed map; a malformed entry is an {@link OutboundSettingsException} naming the variable. */
    public Map<String, String> map(String setting) {
        return maps.computeIfAbsent(setting, name -> parse(name, environment.getProperty(name, "")));
    }

    static Map<String, String> parse(String setting, String text) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String number = equals < 0 ? entry.trim() : entry.substring(0, equals).trim();
            String id = equals < 0 ? "" : entry.substring(equals + 1).trim();
            if (!E164.matcher(number).matches() || id.isEmpty()) {
                throw new OutboundSettingsException(DialSettings.variable(setting) + " has an entry '" + entry.trim()
                        + "' that is not +E164=id (E.164: + and 8 to 15 digits; entries separated by commas)");
            }
            ids.put(number, id);
        }
        return ids;
    }
}
