package callbridge.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh store per test class: an H2 file (the default), or with {@code -Dbridge.test.store=postgres}
 * a fresh database on one embedded PostgreSQL per JVM, so the same tests prove both stores.
 */
public final class TestStores {
    private static EmbeddedPostgres postgres;

    private TestStores() {
    }

    public static boolean onPostgres() {
        return "postgres".equalsIgnoreCase(System.getProperty("bridge.test.store", "h2"));
    }

    /** A new, empty store's JDBC URL. */
    public static String fresh(String name) {
        return onPostgres() ? freshPostgresDatabase(name) : h2Url(Path.of("target", "test-db", name + "-" + shortId()));
    }

    public static String username() {
        return onPostgres() ? "postgres" : "sa";
    }

    public static String freshH2Url(String name) {
        return fresh(name);
    }

    /** A plain H2 file URL, as a user writes it: the bridge adds the settings it needs itself. */
    public static String h2Url(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath();
    }

    /**
     * A host's own H2 database that the bridge shares: the host gives it the settings the bridge's SQL needs (the bridge
     * rewrites no host URL: H2UrlSettings).
     */
    public static String sharedHostH2Url(Path file) {
        return h2Url(file) + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
    }

    private static synchronized String freshPostgresDatabase(String name) {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.builder().start();
                EmbeddedPostgres started = postgres;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException ignored) {
                        // the JVM is going away
                    }
                }));
            }
            String database = (name.replaceAll("[^A-Za-z0-9]", "_") + "_" + shortId()).toLowerCase(Locale.ROOT);
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + database);
            }
            return postgres.getJdbcUrl("postgres", database);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
