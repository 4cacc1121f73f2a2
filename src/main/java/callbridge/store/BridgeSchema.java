package callbridge.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's own Flyway, run by the bridge on its store and never a {@code Flyway} bean (a host's migrations stay
 * its own): migrations in {@value #LOCATION}, history in {@value #HISTORY}. A database that already holds other
 * tables (a host's, with the host's own history) gets the bridge's migrations from V1.
 *
 * <p>A store made by an earlier release of the standalone bridge has tables without the {@code bridge_} prefix and
 * its history in Flyway's default {@value #LEGACY_HISTORY}: found by that table, the bridge's V1 in it and the
 * bridge's tables, it is first brought to the end of that history ({@value #LEGACY_LOCATION}: the old V1..V8 as they
 * were, and V9 that gives every table the prefix), then the new history is started at V1, whose schema it now has.
 * The old history stays where it is, as the record of how the store got here.
 */
public final class BridgeSchema {
    public static final String LOCATION = "classpath:callbridge/db/migration";
    public static final String HISTORY = "bridge_schema_history";
    static final String LEGACY_LOCATION = "classpath:callbridge/db/legacy";
    static final String LEGACY_HISTORY = "flyway_schema_history";
    /** The description Flyway keeps for the old {@code V1__events_and_calls.sql}. */
    private static final String LEGACY_FIRST = "events and calls";
    private static final Logger LOG = LoggerFactory.getLogger(BridgeSchema.class);

    private BridgeSchema() {
    }

    public static void migrate(DataSource dataSource) {
        if (isLegacyStore(dataSource)) {
            LOG.info("store of an earlier release found ({} holds the bridge's migrations): giving its tables the bridge_ "
                    + "prefix, then keeping its history in {}", LEGACY_HISTORY, HISTORY);
            Flyway.configure().dataSource(dataSource).locations(LEGACY_LOCATION).table(LEGACY_HISTORY)
                    .cleanDisabled(true).load().migrate();
            Flyway.configure().dataSource(dataSource).locations(LOCATION).table(HISTORY).cleanDisabled(true)
                    .baselineVersion("1").baselineDescription("schema of the earlier release, prefixed (see " + LEGACY_HISTORY + ")")
                    .load().baseline();
        }
        Flyway.configure().dataSource(dataSource).locations(LOCATION).table(HISTORY).cleanDisabled(true)
                // a database with other tables (a host's) and no bridge history yet: start at the bridge's V1
                .baselineOnMigrate(true).baselineVersion("0").baselineDescription("before the bridge")
                .load().migrate();
    }

    /** No bridge history yet, but the old one, holding the bridge's V1, beside the bridge's old tables. */
    static boolean isLegacyStore(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            Set<String> tables = tables(connection);
            if (tables.contains(HISTORY) || !tables.contains(LEGACY_HISTORY)
                    || !tables.contains("bridge_call") || !tables.contains("call_event")) {
                return false;
            }
            try (var statement = connection.prepareStatement(
                    "SELECT COUNT(*) FROM " + LEGACY_HISTORY + " WHERE \"version\" = '1' AND \"description\" = ?")) {
                statement.setString(1, LEGACY_FIRST);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() && rs.getInt(1) == 1;
                }
            }
        } catch (SQLException failed) {
            throw new IllegalStateException("could not read the store's tables: " + failed.getMessage(), failed);
        }
    }

    /** The tables of the connection's schema, lower case. */
    private static Set<String> tables(Connection connection) throws SQLException {
        Set<String> names = new HashSet<>();
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet rs = meta.getTables(connection.getCatalog(), connection.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
