package callbridge.support;

import java.nio.file.Path;
import java.util.UUID;

/** A fresh H2 file store per test class, with the same options the bridge uses by default. */
public final class TestStores {
    private TestStores() {
    }

    public static String freshH2Url(String name) {
        return h2Url(Path.of("target", "test-db", name + "-" + UUID.randomUUID().toString().substring(0, 8)));
    }

    public static String h2Url(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    }
}
