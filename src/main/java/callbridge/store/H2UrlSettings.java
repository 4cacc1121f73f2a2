package callbridge.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Any H2 URL a user writes works: the settings the bridge's SQL needs ({@code MODE=PostgreSQL} for
 * {@code ON CONFLICT}, lower-case names, nulls sorted last) are added to an H2 URL that does not name them,
 * with the default URL's other settings: the store closed after the routes, not by a JVM shutdown hook before
 * them (H2 refuses that with {@code AUTO_SERVER=TRUE}), compaction on stop, chunk reuse after 1 s. A URL that sets one of the needed settings to
 * something else stops the start with one line saying what to change.
 *
 * <p>They go to the URL the bridge stores in: {@code BRIDGE_DATASOURCE_URL} when it is set; the standalone
 * application's {@code SPRING_DATASOURCE_URL} otherwise (this post-processor is the standalone application's bean,
 * never the auto-configuration's). A host's own URL is never rewritten: when the bridge shares a host's H2 database
 * that lacks the settings, {@link #requireUsable} stops the start naming {@code BRIDGE_DATASOURCE_URL}.
 */
public class H2UrlSettings implements BeanPostProcessor, EnvironmentAware {
    private static final Map<String, String> NEEDED = Map.of(
            "MODE", "PostgreSQL", "DATABASE_TO_LOWER", "TRUE", "DEFAULT_NULL_ORDERING", "HIGH");
    private static final Map<String, String> DEFAULTS = Map.of(
            "DB_CLOSE_ON_EXIT", "FALSE", "MAX_COMPACT_TIME", "10000", "RETENTION_TIME", "1000");
    private static final String[] ORDER = {"MODE", "DATABASE_TO_LOWER", "DEFAULT_NULL_ORDERING", "DB_CLOSE_ON_EXIT",
            "MAX_COMPACT_TIME", "RETENTION_TIME"};

    private boolean bridgeHasOwnStore;

    @Override
    public void setEnvironment(Environment environment) {
        String own = environment.getProperty("bridge.datasource.url");
        bridgeHasOwnStore = own != null && !own.isBlank();
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        if (!bridgeHasOwnStore && bean instanceof DataSourceProperties properties && properties.getUrl() != null) {
            properties.setUrl(complete(properties.getUrl(), "SPRING_DATASOURCE_URL"));
        }
        return bean;
    }

    /** The URL with every needed and default setting it lacks; other URLs unchanged. */
    public static String complete(String url, String variable) {
        if (!url.regionMatches(true, 0, "jdbc:h2:", 0, "jdbc:h2:".length())) {
            return url;
        }
        String[] parts = url.split(";");
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                given.put(parts[i].substring(0, eq).trim().toUpperCase(Locale.ROOT), parts[i].substring(eq + 1).trim());
            }
        }
        StringBuilder completed = new StringBuilder(url.endsWith(";") ? url.substring(0, url.length() - 1) : url);
        for (String setting : ORDER) {
            String needed = NEEDED.get(setting);
            String value = given.get(setting);
            if (value == null && "DB_CLOSE_ON_EXIT".equals(setting) && "TRUE".equalsIgnoreCase(given.get("AUTO_SERVER"))) {
                continue; // H2 refuses the two together; an auto-server store closes with its last connection
            }
            if (value == null) {
                completed.append(';').append(setting).append('=').append(needed != null ? needed : DEFAULTS.get(setting));
            } else if (needed != null && !needed.equalsIgnoreCase(value)) {
                throw new UnusableStoreUrlException(variable + " sets " + setting + "=" + value + ", the bridge needs "
                        + setting + "=" + needed + ": remove it from the URL (the bridge adds what it needs) or set " + needed);
            }
        }
        return completed.toString();
    }

    /**
     * The application's DataSource, shared with the bridge: an H2 database must run with the settings the bridge's SQL
     * needs, which the bridge does not add to a host's URL (the host's own SQL may need another mode).
     */
    public static void requireUsable(DataSource dataSource) {
        Map<String, String> actual = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            if (!"H2".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName())) {
                return;
            }
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS")) {
                while (rows.next()) {
                    actual.put(rows.getString(1).toUpperCase(Locale.ROOT), rows.getString(2));
                }
            }
        } catch (SQLException unreachable) {
            return;   // a store that is down is the health checks' and the webhooks' 503s to report, not a setting
        }
        List<String> wrong = new ArrayList<>();
        for (String setting : List.of("MODE", "DATABASE_TO_LOWER", "DEFAULT_NULL_ORDERING")) {
            String value = actual.get(setting);
            if (value == null || !NEEDED.get(setting).equalsIgnoreCase(value.trim())) {
                wrong.add(setting + "=" + value);
            }
        }
        if (!wrong.isEmpty()) {
            throw new UnusableStoreUrlException("The application's H2 database runs with " + String.join(", ", wrong)
                    + "; the bridge's store needs MODE=PostgreSQL, DATABASE_TO_LOWER=TRUE, DEFAULT_NULL_ORDERING=HIGH and "
                    + "never changes the application's URL: set BRIDGE_DATASOURCE_URL to give the bridge a store of its own "
                    + "(e.g. jdbc:h2:file:./data/bridge), or add those settings to the application's URL");
        }
    }

    /** A store URL the bridge cannot work with; the start stops with its message alone. */
    public static class UnusableStoreUrlException extends IllegalStateException {
        public UnusableStoreUrlException(String message) {
            super(message);
        }
    }
}
