package callbridge.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Tells a passing store fault (a lock timeout, a lost or refused connection, a database shutting down or out of
 * resources) from a failure that says something about the data. A passing fault is retried and never counts
 * against a call. The node itself briefly out of resources (a {@code VirtualMachineError} such as
 * {@code OutOfMemoryError}, caught in a step) is passing too: it says nothing about the call.
 */
public final class StoreFaults {
    private StoreFaults() {
    }

    public static boolean isPassing(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof VirtualMachineError) {
                return true;
            }
            if (cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
                    || cause instanceof DataAccessResourceFailureException || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException || cause instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("40")
                        || sql.getSQLState().startsWith("53") || sql.getSQLState().startsWith("57")
                        || sql.getSQLState().equals("HYT00"))) {
                return true; // connection, rollback/deadlock, resources, shutdown, lock or query timeout
            }
            if (cause == cause.getCause()) {
                break;
            }
        }
        return false;
    }
}
