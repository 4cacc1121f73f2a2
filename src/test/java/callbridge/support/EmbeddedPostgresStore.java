package callbridge.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.test.context.DynamicPropertyRegistry;

/** A real PostgreSQL 14 server started from Maven Central binaries (zonky), one per test class. */
public final class EmbeddedPostgresStore implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private boolean closed;

    private EmbeddedPostgresStore(EmbeddedPostgres postgres) {
        this.postgres = postgres;
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
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
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
