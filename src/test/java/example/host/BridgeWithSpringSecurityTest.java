package example.host;

import static callbridge.support.SalpreEvents.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A host with Spring Security and a filter chain of its own (every request authenticated, HTTP Basic): its endpoints
 * stay protected, a host controller under {@code /webhooks/} included; the bridge's webhooks, trigger and admin API
 * answer as they do anywhere, on their own credentials, on base paths this host chose. Runs in the surefire execution {@code host-security}, the only
 * one with Spring Security on the classpath.
 */
@CamelSpringBootTest
@SpringBootTest(classes = HostApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=host")
@Import(BridgeWithSpringSecurityTest.HostSecurity.class)
class BridgeWithSpringSecurityTest extends BridgeHttpTest {
    static final String HOST_DB = TestStores.sharedHostH2Url(Path.of("target", "test-db", "host-secured-" + UUID.randomUUID()));
    static final Map<String, String> HOST_USER = Map.of("Authorization",
            "Basic " + Base64.getEncoder().encodeToString("host-user:host-pass".getBytes(StandardCharsets.UTF_8)));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> HOST_DB);
        registry.add("salpre.webhook-token", () -> "salpre-token");
        registry.add("cekura.trigger-secret", () -> "trigger-secret");   // outbound configured: the trigger endpoint runs
        registry.add("outbound.answer-wait", () -> "1s");
        // the bridge's paths where this host wants them: Spring Security's matcher and the body filter follow
        registry.add("bridge.webhooks.base-path", () -> "/bridge/hooks");
        registry.add("bridge.trigger.path", () -> "/bridge/cekura-trigger");
        registry.add("bridge.admin.base-path", () -> "/bridge/ops");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class HostSecurity {
        @Bean
        SecurityFilterChain hostRules(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .httpBasic(Customizer.withDefaults())
                    .csrf(csrf -> csrf.ignoringRequestMatchers("/webhooks/host-inbox"))   // an API of the host's
                    .build();
        }

        @Bean
        InMemoryUserDetailsManager hostUsers() {
            return new InMemoryUserDetailsManager(User.withUsername("host-user").password("{noop}host-pass").roles("USER").build());
        }

        @Bean
        HostInbox hostInbox() {
            return new HostInbox();
        }
    }

    @RestController
    static class HostInbox {
        @PostMapping("/webhooks/host-inbox")
        String take() {
            return "host inbox";
        }
    }

    @Test
    void theHostsEndpointsKeepTheHostsRules() {
        assertThat(bridge.get("/host/greeting").statusCode()).isEqualTo(401);
        assertThat(bridge.get("/host/greeting", HOST_USER).statusCode()).isEqualTo(200);
        assertThat(bridge.get("/host/java").statusCode()).isEqualTo(401);   // the host's own Camel route
        assertThat(bridge.post("/webhooks/host-inbox", "{}").statusCode()).isEqualTo(401);
        assertThat(bridge.post("/webhooks/host-inbox", "{}", HOST_USER).body()).isEqualTo("host inbox");
        assertThat(bridge.get("/actuator/health").statusCode()).isEqualTo(401);
    }

    @Test
    void theBridgesWebhookAnswersOnItsBasePathWithItsLimit() {
        assertThat(bridge.post("/bridge/hooks/salpre", new byte[2 * 1024 * 1024], Map.of("X-Webhook-Token", "salpre-token"))
                .statusCode()).isEqualTo(413);
    }

    @Test
    void theBridgesWebhookAnswersOnItsOwnToken() {
        var accepted = bridge.post("/bridge/hooks/salpre", fixture("call_initiated"), Map.of("X-Webhook-Token", "salpre-token"));
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).isEqualTo("{\"status\":\"accepted\"}");
        var refused = bridge.post("/bridge/hooks/salpre", fixture("call_ringing"));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).isEqualTo("{\"error\":\"missing or invalid credential\"}");
        assertThat(refused.headers().firstValue("WWW-Authenticate")).isEmpty();   // the bridge's answer, not Spring Security's
    }

    @Test
    void theTriggerAndTheAdminApiAnswerOnTheirOwnCredentials() {
        String trigger = "{\"from_number\":\"+15551234567\",\"to_number\":\"+14155550101\"}";
        assertThat(bridge.post("/bridge/cekura-trigger", trigger).statusCode()).isEqualTo(401);
        assertThat(bridge.post("/bridge/cekura-trigger", trigger, Map.of("X-CEKURA-SECRET", "trigger-secret")).statusCode())
                .isEqualTo(201);
        var summary = bridge.get("/bridge/ops/summary");   // no BRIDGE_ADMIN_TOKEN: a loopback client, as alone
        assertThat(summary.statusCode()).isEqualTo(200);
        assertThat(summary.body()).startsWith("{\"calls\":");
        var page = bridge.get("/bridge/ops");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).contains("ops/");
        assertThat(bridge.get("/bridge/ops/").body()).contains("<html");
        assertThat(bridge.get("/admin/summary").statusCode()).isEqualTo(401);   // not the bridge's path here: the host's rules
    }
}
