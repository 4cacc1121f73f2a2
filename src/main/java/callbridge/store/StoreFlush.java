package callbridge.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Makes committed writes survive a kill -9 before the bridge tells anyone they happened
 * (a webhook's 200, a trigger's 201, Cekura's or a dial API's answer recorded).
 *
 * <p>H2 keeps committed changes in memory and its background writer stores them within
 * {@code WRITE_DELAY} (default 500 ms); that writer also compacts the file. {@code CHECKPOINT}
 * stores everything committed so far at once. Callers that need it call {@link #awaitDurable()}
 * after their commit; concurrent callers share one checkpoint (group flush): the first to get the
 * lock runs it for everyone whose commit came before it started, the others find their commit
 * already covered. On PostgreSQL a commit is already durable and this returns at once.
 */
@Component
public class StoreFlush {
    private final DataSource dataSource;
    private final ReentrantLock flushing = new ReentrantLock();
    private volatile Boolean h2;
    /** Tickets handed to callers, and the highest ticket a finished checkpoint covers. */
    private long requested;
    private volatile long covered;

    public StoreFlush(BridgeStore bridgeStore) {
        this.dataSource = bridgeStore.dataSource();
    }

    /** Returns once every write this thread committed before the call is on disk. */
    public void awaitDurable() {
        if (!isH2()) {
            return;
        }
        long ticket;
        synchronized (this) {
            ticket = ++requested;
        }
        flushing.lock();
        try {
            if (covered >= ticket) {
                return; // a checkpoint that started after our commit has finished
            }
            long upTo;
            synchronized (this) {
                upTo = requested;
            }
            checkpoint();
            covered = upTo;
        } finally {
            flushing.unlock();
        }
    }

    private void checkpoint() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
        } catch (SQLException failed) {
            throw new IllegalStateException("could not flush the store: " + failed.getMessage(), failed);
        }
    }

    private boolean isH2() {
        Boolean known = h2;
        if (known == null) {
            try (Connection connection = dataSource.getConnection()) {
                known = "H2".equals(connection.getMetaData().getDatabaseProductName());
            } catch (SQLException unreachable) {
                throw new IllegalStateException("store unreachable: " + unreachable.getMessage(), unreachable);
            }
            h2 = known;
        }
        return known;
    }
}
