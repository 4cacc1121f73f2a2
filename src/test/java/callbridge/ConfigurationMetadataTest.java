package callbridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * An IDE completes every setting of the settings table (docs/settings.md): the metadata the build generates (the configuration
 * processor over the properties records, merged with META-INF/additional-spring-configuration-metadata.json for the
 * keys read with {@code @Value} or from the environment) names each documented key, with a description.
 */
class ConfigurationMetadataTest {
    private static final Path METADATA = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");

    @Test
    void theGeneratedMetadataNamesEveryDocumentedKey() throws IOException {
        JsonNode metadata = new ObjectMapper().readTree(METADATA.toFile());
        Set<String> named = new TreeSet<>();
        Set<String> undescribed = new TreeSet<>();
        for (JsonNode property : metadata.get("properties")) {
            named.add(property.get("name").asText());
            if (!property.hasNonNull("description") || property.get("description").asText().isBlank()) {
                undescribed.add(property.get("name").asText());
            }
        }
        Set<String> documented = new TreeSet<>(SettingsReferenceTest.documentedKeys().keySet());
        documented.removeAll(SettingsReferenceTest.SPRING_OWN);
        documented.remove("spring.datasource.hikari.maximum-pool-size");   // Spring Boot's own key, its own metadata
        documented.remove("<name>.webhook-token");                          // one per provider: salpre's and verbex's are named
        assertThat(documented).as("documented keys").contains("cekura.webhook-url", "bridge.admin.enabled", "salpre.webhook-token");
        assertThat(named).as("keys in the generated configuration metadata").containsAll(documented);
        assertThat(undescribed).as("keys without a description").isEmpty();
    }
}
