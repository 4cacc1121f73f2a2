package callbridge;

import callbridge.web.JsonErrorAttributes;
import callbridge.web.JsonErrorReports;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
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
    public static void main(String[] args) {
        SpringApplication.run(CallBridgeApplication.class, args);
    }
}
