package callbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.TestStores;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The two ways to today's schema end in the same place: a fresh store (V1 of callbridge/db/migration) and a store
 * of the last release migrated (its V1..V8, then the prefix). Same tables, columns, types, nullability, defaults,
 * named indexes and unique constraints; and a database whose own flyway_schema_history is not the bridge's is never
 * taken for an old store.
 */
class BridgeSchemaTest {

    @Test
    void aFreshStoreAndAMigratedOldOneHaveTheSameSchema() throws SQLException {
        DataSource fresh = store("schema-fresh");
        BridgeSchema.migrate(fresh);

        DataSource old = store("schema-old");
        Flyway.configure().dataSource(old).locations("classpath:legacy-store/db/migration").load().migrate();
        assertThat(BridgeSchema.isLegacyStore(old)).isTrue();
        BridgeSchema.migrate(old);
        assertThat(BridgeSchema.isLegacyStore(old)).isFalse();

        TreeSet<String> freshSchema = schema(fresh);
        assertThat(freshSchema).isNotEmpty().anyMatch(line -> line.startsWith("bridge_call_event.canonical "));
        assertThat(schema(old)).isEqualTo(freshSchema);
    }

    @Test
    void aDatabaseWithItsOwnFlywayHistoryAndACallEventTableIsNotAnOldStore() {
        DataSource host = store("schema-host");
        JdbcTemplate jdbc = new JdbcTemplate(host);
        jdbc.execute("CREATE TABLE call_event (id BIGINT PRIMARY KEY)");
        jdbc.execute("CREATE TABLE bridge_call (id BIGINT PRIMARY KEY)");
        Flyway.configure().dataSource(host).locations("classpath:example/host/db/migration-none")
                .baselineOnMigrate(true).load().migrate();   // the host's history: a baseline row, not the bridge's V1
        assertThat(tables(host)).contains("flyway_schema_history");
        assertThat(BridgeSchema.isLegacyStore(host)).isFalse();
    }

    private static DataSource store(String name) {
        return new DriverManagerDataSource(H2UrlSettings.complete(TestStores.fresh(name), "test store"), TestStores.username(), "");
    }

    /** One line per column, named index and unique constraint of the bridge's tables. */
    private static TreeSet<String> schema(DataSource dataSource) throws SQLException {
        TreeSet<String> lines = new TreeSet<>();
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            for (String table : tables(dataSource)) {
                if (!table.startsWith("bridge_") || table.equals(BridgeSchema.HISTORY)) {
                    continue;
                }
                try (ResultSet columns = meta.getColumns(connection.getCatalog(), connection.getSchema(), table, "%")) {
                    while (columns.next()) {
                        lines.add(table + "." + columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT) + " "
                                + columns.getString("TYPE_NAME") + "(" + columns.getInt("COLUMN_SIZE") + ") nullable="
                                + columns.getString("IS_NULLABLE") + " default=" + columns.getString("COLUMN_DEF")
                                + " at=" + columns.getInt("ORDINAL_POSITION"));
                    }
                }
                try (ResultSet indexes = meta.getIndexInfo(connection.getCatalog(), connection.getSchema(), table, false, false)) {
                    while (indexes.next()) {
                        String index = indexes.getString("INDEX_NAME");
                        if (index != null && index.toLowerCase(Locale.ROOT).startsWith("ix_")) {
                            lines.add(table + " index " + index.toLowerCase(Locale.ROOT) + " " + indexes.getShort("ORDINAL_POSITION")
                                    + "=" + indexes.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
            try (var statement = connection.prepareStatement("""
                    SELECT tc.table_name, tc.constraint_name, tc.constraint_type FROM information_schema.table_constraints tc
                     WHERE tc.table_schema = ? AND tc.constraint_type IN ('UNIQUE', 'PRIMARY KEY')""")) {
                statement.setString(1, connection.getSchema());
                try (ResultSet constraints = statement.executeQuery()) {
                    while (constraints.next()) {
                        String table = constraints.getString(1).toLowerCase(Locale.ROOT);
                        String name = constraints.getString(2).toLowerCase(Locale.ROOT);
                        if (table.startsWith("bridge_") && !table.equals(BridgeSchema.HISTORY)) {
                            // primary keys of identity tables have names the database made up: only their presence counts
                            boolean named = name.startsWith("uq_") || name.startsWith("pk_");
                            lines.add(table + " " + constraints.getString(3) + (named ? " " + name : ""));
                        }
                    }
                }
            }
        }
        return lines;
    }

    static TreeSet<String> tables(DataSource dataSource) {
        TreeSet<String> names = new TreeSet<>();
        try (Connection connection = dataSource.getConnection();
             ResultSet rs = connection.getMetaData().getTables(connection.getCatalog(), connection.getSchema(), "%",
                     new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }
}
