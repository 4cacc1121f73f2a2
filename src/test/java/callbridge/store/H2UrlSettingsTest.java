package callbridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.catchThrowable;

import callbridge.web.RouteFileFailureAnalyzer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The settings the bridge's SQL needs are added to any H2 URL; a URL that contradicts them is refused plainly. */
class H2UrlSettingsTest {
    private static final String ADDED = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE"
            + ";MAX_COMPACT_TIME=10000;RETENTION_TIME=1000";

    @Test
    void aPlainFileUrlGetsEverySetting() {
        assertThat(H2UrlSettings.complete("jdbc:h2:file:/var/lib/bridge/db", "V")).isEqualTo("jdbc:h2:file:/var/lib/bridge/db" + ADDED);
    }

    @Test
    void settingsTheUserGaveAreKeptAndNotRepeated() {
        assertThat(H2UrlSettings.complete("jdbc:h2:file:./x;AUTO_SERVER=TRUE;mode=postgresql;RETENTION_TIME=45000;", "V"))
                .isEqualTo("jdbc:h2:file:./x;AUTO_SERVER=TRUE;mode=postgresql;RETENTION_TIME=45000"
                        + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;MAX_COMPACT_TIME=10000");
    }

    @Test
    void otherDatabasesAreLeftAlone() {
        assertThat(H2UrlSettings.complete("jdbc:postgresql://db/bridge", "V")).isEqualTo("jdbc:postgresql://db/bridge");
    }

    @Test
    void aContradictingSettingStopsWithOneLineNamingIt() {
        assertThatThrownBy(() -> H2UrlSettings.complete("jdbc:h2:file:/d/b;MODE=MySQL", "SPRING_DATASOURCE_URL"))
                .isInstanceOf(H2UrlSettings.UnusableStoreUrlException.class)
                .hasMessage("SPRING_DATASOURCE_URL sets MODE=MySQL, the bridge needs MODE=PostgreSQL: remove it from the URL "
                        + "(the bridge adds what it needs) or set PostgreSQL");
    }

    @Test
    void aHostsH2DatabaseInAnotherModeIsRefusedNamingBridgeDatasourceUrlAndLeftAsItIs() {
        var hostDatabase = new DriverManagerDataSource("jdbc:h2:mem:host-mysql-" + System.nanoTime() + ";MODE=MySQL", "sa", "");
        assertThatThrownBy(() -> H2UrlSettings.requireUsable(hostDatabase))
                .isInstanceOf(H2UrlSettings.UnusableStoreUrlException.class)
                .hasMessage("The application's H2 database runs with MODE=MySQL, DATABASE_TO_LOWER=false, DEFAULT_NULL_ORDERING=LOW; "
                        + "the bridge's store needs MODE=PostgreSQL, DATABASE_TO_LOWER=TRUE, DEFAULT_NULL_ORDERING=HIGH and never "
                        + "changes the application's URL: set BRIDGE_DATASOURCE_URL to give the bridge a store of its own "
                        + "(e.g. jdbc:h2:file:./data/bridge), or add those settings to the application's URL");
        // the start's report is that line alone, no stack trace
        var analysis = new RouteFileFailureAnalyzer().analyze(new IllegalStateException("bean creation failed",
                catchThrowable(() -> H2UrlSettings.requireUsable(hostDatabase))));
        assertThat(analysis.getDescription()).startsWith("The application's H2 database runs with MODE=MySQL")
                .contains("BRIDGE_DATASOURCE_URL");
    }

    @Test
    void aHostsH2DatabaseWithTheBridgesSettingsIsUsable() {
        H2UrlSettings.requireUsable(new DriverManagerDataSource("jdbc:h2:mem:host-pg-" + System.nanoTime()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", ""));
    }
}
