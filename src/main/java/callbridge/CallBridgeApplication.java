package callbridge;

import callbridge.store.H2UrlSettings;
import callbridge.web.JsonErrorAttributes;
import callbridge.web.JsonErrorReports;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/**
 * The bridge run alone ({@code ./mvnw spring-boot:run}, {@code java -jar cekura-call-bridge-exec.jar}): an
 * application of its own around the bridge's auto-configuration ({@link BridgeAutoConfiguration}), with the
 * application settings a host keeps for itself (port, store URL, actuator, error pages: callbridge/standalone.properties,
 * below config/application.yml and the environment), errors answered in the bridge's shape (Spring's and Tomcat's own:
 * {@link JsonErrorReports}). No component scan: the bridge's beans come from its auto-configuration, as in a host.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@PropertySource("classpath:callbridge/standalone.properties")
@Import({JsonErrorAttributes.class, JsonErrorReports.class})
public class CallBridgeApplication {
    /**
     * Completes the standalone application's H2 URL with the settings the bridge's SQL needs (static: it must see the
     * DataSource's properties first). The standalone application's only: a host's URL is the host's.
     */
    @Bean
    static H2UrlSettings bridgeH2UrlSettings() {
        return new H2UrlSettings();
    }


    public static void main(String[] args) {
        SpringApplication.run(CallBridgeApplication.class, args);
    }
}
