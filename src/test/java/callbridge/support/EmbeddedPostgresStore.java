package callbridge.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.test.context.DynamicPropertyRegistry;

/** A real PostgreSQL 14 server started from Maven Central binaries (zonky), one per test class. */
public final class EmbeddedPostgresStore implements AutoCloseable {
    private EmbeddedPostgres postgres;
    private boolean closed;
    private java.nio.file.Path dataDirectory;

    private EmbeddedPostgresStore(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** A server that can be stopped and started again on the same data and port ({@link #restart}). */
    public static EmbeddedPostgresStore startRestartable() {
        try {
            java.nio.file.Path data = java.nio.file.Files.createTempDirectory("bridge-pg-");
            EmbeddedPostgresStore store = new EmbeddedPostgresStore(
                    EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start());
            store.dataDirectory = data;
            Runtime.getRuntime().addShutdownHook(new Thread(store::close));
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server (as a crash of the database would look to the bridge); {@link #restart} brings it back. */
    public synchronized void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void restart() {
        try {
            postgres = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false)
                    .setPort(postgres.getPort()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EmbeddedPostgresStore start() {
        try {
            EmbeddedPostgresStore store = new EmbeddedPostgresStore(EmbeddedPostgres.builder().start());
            // cached Spring contexts close at JVM exit: the server must outlive them, so it stops last
            Runtime.getRuntime().addShutdownHook(new Thread(store::close));
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void wire(DynamicPropertyRegistry registry) {
        String url = postgres.getJdbcUrl("postgres", "postgres");
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
