package callbridge.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query string of an admin GET, checked: only the names the endpoint takes, each at most once.
 * A bad name or value is a {@link BadAdminRequestException} (400) that names the parameter.
 */
final class AdminQuery {
    private static final int MAX_NAME_SHOWN = 40;
    private final Map<String, String> values;

    private AdminQuery(Map<String, String> values) {
        this.values = values;
    }

    /** {@code raw} as the request carried it (still percent-encoded), or null. */
    static AdminQuery parse(String raw, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (!known.contains(name)) {
                    String shown = name.length() > MAX_NAME_SHOWN ? name.substring(0, MAX_NAME_SHOWN) + "..." : name;
                    throw new BadAdminRequestException("unknown parameter '" + shown + "'; this endpoint takes "
                            + String.join(", ", new TreeSet<>(known)));
                }
                if (values.putIfAbsent(name, value) != null) {
                    throw new BadAdminRequestException("parameter " + name + " given more than once");
                }
            }
        }
        return new AdminQuery(values);
    }

    /** The value, absent when not given or empty. */
    Optional<String> text(String name) {
        return Optional.ofNullable(values.get(name)).filter(v -> !v.isEmpty());
    }

    /** The value; a 400 naming the parameter when it is not given or empty. */
    String required(String name) {
        return text(name).orElseThrow(() -> new BadAdminRequestException("parameter " + name + " is required"));
    }

    long number(String name, long defaultValue, long min, long max) {
        Optional<String> text = text(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        String shape = name + " must be a whole number from " + min + " to " + max;
        if (!text.get().matches("\\d{1,18}")) {
            throw new BadAdminRequestException(shape);
        }
        long value = Long.parseLong(text.get());
        if (value < min || value > max) {
            throw new BadAdminRequestException(shape);
        }
        return value;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            throw new BadAdminRequestException("the query string is not well encoded");
        }
    }
}
