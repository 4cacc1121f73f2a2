package callbridge.outbound;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a dial route file needs from the settings, declared next to it as a bean, so that the start can refuse a
 * chosen platform that lacks them (one line naming the variable) instead of failing every dial:
 * <pre>
 * - beans:
 *     - name: dialVapiSettings
 *       type: callbridge.outbound.DialSettings
 *       properties:
 *         platform: vapi                                   # OUTBOUND_PROVIDER
 *         required: vapi.api-key, vapi.assistant-id         # each set and not blank; a|b: one of them
 *         numberMaps: vapi.phone-number-ids                 # +E164=id,... (required too, and well-formed)
 *         allowed: elevenlabs.telephony=twilio|sip-trunk    # when set, one of these
 * </pre>
 * Properties are Spring names; the variable named in a message is its environment form ({@code VAPI_API_KEY}).
 */
public class DialSettings {
    private String platform;
    private String required = "";
    private String numberMaps = "";
    private String allowed = "";

    /** {@code vapi.api-key} → {@code VAPI_API_KEY}. */
    public static String variable(String property) {
        return property.trim().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static List<String> items(String list) {
        return list == null ? List.of() : Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public String getPlatform() {
        return platform;
    }

    public void setPlatform(String platform) {
        this.platform = platform;
    }

    public String getRequired() {
        return required;
    }

    public void setRequired(String required) {
        this.required = required;
    }

    public String getNumberMaps() {
        return numberMaps;
    }

    public void setNumberMaps(String numberMaps) {
        this.numberMaps = numberMaps;
    }

    public String getAllowed() {
        return allowed;
    }

    public void setAllowed(String allowed) {
        this.allowed = allowed;
    }
}
