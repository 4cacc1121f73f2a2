package callbridge.store;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bridge's store: the DataSource every part of the bridge reads and writes (the journal, claims, delivery
 * records, the flush, the health probe), with its own JDBC helpers and transactions, migrated by the bridge's
 * own Flyway ({@link BridgeSchema}) before anything uses it.
 *
 * <p>It is the application's primary DataSource, unless {@code BRIDGE_DATASOURCE_URL} gives the bridge a pool of
 * its own. None of it is a bean of a JDBC type: a host's DataSource, JdbcTemplate, JdbcClient, transaction manager
 * and their auto-configuration stay as they are, and the host's own migrations (Flyway, Liquibase, SQL scripts) run
 * first ({@link DependsOnDatabaseInitialization}).
 */
@Component("bridgeStore")
@DependsOnDatabaseInitialization
public class BridgeStore implements DisposableBean {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeStore.class);
    private final DataSource dataSource;
    private final HikariDataSource ownPool;
    private final JdbcTemplate jdbcTemplate;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public BridgeStore(StoreProperties properties, ObjectProvider<DataSource> applicationDataSource,
            ObjectProvider<MeterRegistry> registry) {
        if (properties.ownStore()) {
            ownPool = ownPool(properties, registry.getIfAvailable());
            dataSource = ownPool;
        } else {
            ownPool = null;
            dataSource = applicationDataSource.getIfAvailable();
            if (dataSource == null) {
                throw new IllegalStateException("The bridge needs a store: the application has no DataSource; "
                        + "set SPRING_DATASOURCE_URL, or BRIDGE_DATASOURCE_URL for a store of the bridge's own");
            }
            H2UrlSettings.requireUsable(dataSource);
        }
        try {
            BridgeSchema.migrate(dataSource);
        } catch (RuntimeException failed) {
            destroy();
            throw failed;
        }
        jdbcTemplate = new JdbcTemplate(dataSource);
        jdbc = JdbcClient.create(jdbcTemplate);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    private static HikariDataSource ownPool(StoreProperties properties, MeterRegistry registry) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("bridge");
        pool.setJdbcUrl(H2UrlSettings.complete(properties.url().trim(), "BRIDGE_DATASOURCE_URL"));
        pool.setUsername(properties.username());
        pool.setPassword(properties.password());
        pool.setMaximumPoolSize(properties.maximumPoolSize());
        pool.setConnectionTimeout(properties.connectionTimeout().toMillis());
        if (registry != null) {
            pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry)); // hikaricp_*{pool="bridge"}
        }
        return pool;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public JdbcClient jdbc() {
        return jdbc;
    }

    public JdbcTemplate jdbcTemplate() {
        return jdbcTemplate;
    }

    public TransactionTemplate transactions() {
        return transactions;
    }

    /** Closes the bridge's own pool (after the journal and the routes stopped); the application's is not the bridge's to close. */
    @Override
    public void destroy() {
        if (ownPool != null && !ownPool.isClosed()) {
            LOG.debug("closing the bridge's own store pool");
            ownPool.close();
        }
    }
}
