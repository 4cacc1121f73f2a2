package example.host;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What stays the host's when the bridge is on its classpath, whatever the bridge does: its routes (Java and YAML,
 * loaded by its own {@code camel.main.routes-include-pattern}), its migrations and their history, its JSON, its error
 * answers, its beans, its Camel context's name. Each subclass starts the host in one way of running the bridge.
 */
@CamelSpringBootTest
@SpringBootTest(classes = HostApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=host")
abstract class HostTests extends BridgeHttpTest {
    @Autowired
    CamelContext camel;
    @Autowired
    DataSource hostDataSource;
    @Autowired
    JdbcTemplate hostJdbc;
    @Autowired
    Clock clock;

    @Test
    void theHostsRoutesAnswer() {
        assertThat(bridge.get("/host/java").body()).isEqualTo("java route of the host");
        assertThat(bridge.get("/host/yaml").body()).isEqualTo("yaml route of the host");
        assertThat(camel.getRoute("ingest-event")).isNotNull();   // a host route named as the bridge's once was
        assertThat(camel.getName()).isEqualTo("host-camel");
    }

    @Test
    void theHostsJsonIsItsOwn() throws Exception {
        var greeting = bridge.get("/host/greeting");
        assertThat(greeting.statusCode()).isEqualTo(200);
        JSONAssert.assertEquals("{\"greeting_text\":\"hello from the host\",\"sent_at\":\"2001-02-03T04:05:06Z\"}",
                greeting.body(), JSONCompareMode.STRICT);
        // Camel's json data format still finds the host's one ObjectMapper (auto-discover): the bridge added none
        JSONAssert.assertEquals("{\"greeting_text\":\"from camel\",\"sent_at\":\"2001-02-03T04:05:06Z\"}",
                bridge.get("/host/camel-json").body(), JSONCompareMode.STRICT);
        assertThat(clock.instant()).isEqualTo(HostApplication.HOST_TIME);   // the host's Clock, the only one it gets
    }

    @Test
    void theHostsErrorAnswersAreSpringBootsDefault() throws Exception {
        var missing = bridge.get("/host/no-such-page");
        assertThat(missing.statusCode()).isEqualTo(404);
        JSONAssert.assertEquals("{\"status\":404,\"error\":\"Not Found\",\"path\":\"/host/no-such-page\"}",
                missing.body(), JSONCompareMode.LENIENT);
        assertThat(missing.body()).contains("\"timestamp\"");
    }

    @Test
    void theHostsMigrationRanAndItsHistoryHoldsOnlyItsOwn() throws SQLException {
        assertThat(hostJdbc.queryForList("SELECT \"version\" || ' ' || \"description\" FROM \"flyway_schema_history\""
                + " WHERE \"version\" IS NOT NULL"
                + " ORDER BY \"installed_rank\"", String.class)).containsExactly("1 host tables");
        assertThat(hostJdbc.queryForObject("SELECT caller FROM call_event WHERE id = 1", String.class))
                .isEqualTo("the host's own row");
        assertThat(tables(hostDataSource)).contains("host_order", "call_event", "flyway_schema_history");
    }

    List<String> bridgeRoutes() {
        List<String> ids = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            if (route.getRouteId().startsWith("bridge-")) {
                ids.add(route.getRouteId());
            }
        }
        return ids;
    }

    static TreeSet<String> tables(DataSource dataSource) throws SQLException {
        TreeSet<String> names = new TreeSet<>();
        try (Connection connection = dataSource.getConnection();
             ResultSet rs = connection.getMetaData().getTables(connection.getCatalog(), connection.getSchema(), "%",
                     new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
