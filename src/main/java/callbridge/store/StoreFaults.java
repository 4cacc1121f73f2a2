package callbridge.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    /** A store or driver exception's class name in a failure text: what follows it is SQL and values. */
    private static final Pattern STORE_EXCEPTION = Pattern.compile("(?:org\\.springframework\\.(?:dao|jdbc|transaction)|java\\.sql"
            + "|javax\\.sql|org\\.h2|org\\.postgresql|com\\.zaxxer\\.hikari|org\\.flywaydb)\\.(?:[\\w$]+\\.)*([A-Z][\\w$]*)");
    /** SQL text however it got into a message (a wrapper quoting its cause). */
    private static final Pattern SQL_TEXT = Pattern.compile("PreparedStatementCallback|StatementCallback|bad SQL grammar"
            + "|SQL statement:|SQLState");

    private StoreFaults() {
    }

    /**
     * A failure text fit to be kept in the store and shown by the admin (a dead letter's reason, an attempt's detail,
     * a call's last error): a store or driver exception is named by its class, its message (the SQL, the driver's
     * words, values it quotes) is cut off. The full text belongs in the log only. Other texts are returned as they are.
     */
    public static String withoutStoreDetail(String text) {
        if (text == null) {
            return null;
        }
        Matcher exception = STORE_EXCEPTION.matcher(text);
        if (exception.find()) {
            return text.substring(0, exception.start()) + "store error (" + exception.group(1) + ")";
        }
        Matcher sql = SQL_TEXT.matcher(text);
        if (sql.find()) {
            return text.substring(0, sql.start()).stripTrailing() + " store error";
        }
        return text;
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
