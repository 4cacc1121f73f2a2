package example.host;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application of its own that adds the bridge as a dependency: its own Java and YAML routes, its own Flyway
 * migrations on its own database, its own Jackson settings (SNAKE_CASE), Spring Boot's default error answers,
 * beans and routes named as a host might name them (a {@code clock} bean, a route {@code ingest-event}). Its
 * settings: {@code host.yml} (the tests start it with {@code spring.config.name=host}).
 */
@SpringBootApplication
public class HostApplication {
    /** The host's own time: a fixed clock only its own code uses. */
    static final Instant HOST_TIME = Instant.parse("2001-02-03T04:05:06Z");

    public static void main(String[] args) {
        SpringApplication.run(HostApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.fixed(HOST_TIME, ZoneOffset.UTC);
    }

    /** What the host answers with its own JSON. */
    public record Greeting(String greetingText, Instant sentAt) {
    }

    @RestController
    static class GreetingController {
        private final Clock clock;

        GreetingController(Clock clock) {
            this.clock = clock;
        }

        @GetMapping("/host/greeting")
        Greeting greeting() {
            return new Greeting("hello from the host", clock.instant());
        }
    }

    /** The host's Java routes, one named like a route of the bridge's. */
    @Component
    static class HostRoutes extends RouteBuilder {
        @Override
        public void configure() {
            from("platform-http:/host/java?httpMethodRestrict=GET").routeId("host-java")
                .setBody(constant("java route of the host"));

            from("platform-http:/host/camel-json?httpMethodRestrict=GET").routeId("host-camel-json")
                .process(exchange -> exchange.getMessage().setBody(new Greeting("from camel", HOST_TIME)))
                .marshal().json();

            // the names the bridge's own routes had before they took the bridge- prefix
            from("direct:ingest-event").routeId("ingest-event").setBody(constant("the host's ingest-event"));
        }
    }
}
