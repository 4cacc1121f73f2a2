package callbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What a host application gets with the bridge's jar: Maven passes an optional dependency on to nobody, so a host
 * resolves no H2, PostgreSQL driver or Prometheus registry unless it declares them (the runnable jar still packs them:
 * spring-boot-maven-plugin includes optional dependencies; ArtifactIT starts it). Read from the pom a host resolves.
 * ({@code mvn dependency:tree} shows no other compile path to them; the servlet stack still comes with Camel's
 * camel-platform-http-starter, which depends on spring-boot-starter-web itself.)
 */
class HostDependenciesTest {
    @Test
    void theDriversThePrometheusRegistryAndTheWebStarterAreOptional() throws Exception {
        Map<String, String> declared = new LinkedHashMap<>();
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Element dependencies = null;
        for (var child = pom.getDocumentElement().getFirstChild(); child != null; child = child.getNextSibling()) {
            if ("dependencies".equals(child.getNodeName())) {
                dependencies = (Element) child;   // the project's own, not dependencyManagement's
            }
        }
        NodeList each = dependencies.getElementsByTagName("dependency");
        for (int i = 0; i < each.getLength(); i++) {
            Element dependency = (Element) each.item(i);
            String scope = text(dependency, "scope");
            String optional = text(dependency, "optional");
            declared.put(text(dependency, "groupId") + ":" + text(dependency, "artifactId"),
                    "true".equals(optional) ? "optional" : scope == null ? "compile" : scope);
        }
        assertThat(declared).containsEntry("com.h2database:h2", "optional")
                .containsEntry("org.postgresql:postgresql", "optional")
                .containsEntry("io.micrometer:micrometer-registry-prometheus", "optional")
                .containsEntry("org.springframework.boot:spring-boot-starter-web", "optional")
                .containsEntry("org.springframework.boot:spring-boot-configuration-processor", "optional");
    }

    private static String text(Element element, String tag) {
        NodeList found = element.getElementsByTagName(tag);
        return found.getLength() == 0 ? null : found.item(0).getTextContent().trim();
    }
}
