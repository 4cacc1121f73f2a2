package callbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * docs/settings.md's table is the reference of every setting the bridge reads: each {@code @ConfigurationProperties}
 * field, each {@code ${key}} / {@code getProperty("key")} of the code, each {@code {{key}}} of a shipped route file has
 * its row, each row's variable is its key's environment form, and no row names a setting nothing reads.
 */
class SettingsReferenceTest {
    private static final Path SETTINGS = Path.of("docs", "settings.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| `([^`]+)` \\|(.*)\\|$");
    /** Keys of Spring Boot's own that the table documents; the bridge's code need not read them. */
    static final Set<String> SPRING_OWN = Set.of("spring.datasource.url", "spring.datasource.username",
            "spring.datasource.password", "server.port", "logging.structured.format.console");

    @Test
    void everySettingTheCodeOrARouteReadsHasItsRow() {
        Set<String> documented = documentedKeys().keySet();
        Set<String> read = readKeys();
        assertThat(read).as("settings read but missing from docs/settings.md's table").isSubsetOf(documented);
        Set<String> unread = new TreeSet<>(documented);
        unread.removeAll(read);
        unread.removeAll(SPRING_OWN);
        assertThat(unread).as("rows of docs/settings.md's table that nothing reads").isEmpty();
    }

    @Test
    void eachRowsVariableIsItsKeysEnvironmentFormAndEachRowIsComplete() {
        documentedKeys().forEach((key, row) -> {
            String variable = row.get(0);
            assertThat(variable).as(key).isEqualTo(key.toUpperCase().replace('.', '_').replace('-', '_'));
            assertThat(row.get(1)).as(key + ": meaning").isNotBlank();
            assertThat(row.get(3)).as(key + ": unit").isNotBlank();
        });
    }

    /** key → [variable, meaning, default, unit], from the table whose header is variable | YAML key | ... */
    static Map<String, List<String>> documentedKeys() {
        List<String> lines = lines(SETTINGS);
        int header = lines.indexOf("| variable | YAML key | meaning | default | unit |");
        assertThat(header).as("docs/settings.md's settings table").isNotNegative();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            Matcher row = ROW.matcher(line);
            if (!row.matches()) {
                assertThat(line).as("a group heading row").startsWith("| **");
                continue;
            }
            String[] rest = row.group(3).split("\\|", -1);
            assertThat(rest).as(line).hasSize(3);
            List<String> cells = new ArrayList<>(List.of(row.group(1)));
            for (String cell : rest) {
                cells.add(cell.trim());
            }
            assertThat(rows.put(row.group(2), cells)).as("one row per key: " + row.group(2)).isNull();
        }
        return rows;
    }

    private static Set<String> readKeys() {
        Set<String> keys = new TreeSet<>(configurationPropertiesKeys());
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            sources.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                String code = String.join("\n", lines(file));
                collect(keys, code, "\\$\\{([a-z][a-z0-9.-]*)[:}]");                      // @Value("${key:default}")
                collect(keys, code, "environment\\.getProperty\\(\"([a-z][a-z0-9.-]*\\.[\\w.-]+)\"");
                collect(keys, code, "\\{\\{([a-z][a-z0-9.-]*)[:}]");                    // a Java route's {{key:default}}
                collect(keys, code, "getProperty\\(provider \\+ \"(\\.webhook-token)\"");
                collect(keys, code, "@ConditionalOnProperty\\(prefix = \"([a-z.]+)\", name = \"([a-z-]+)\"");
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            routes.filter(file -> file.toString().endsWith(".yaml")).forEach(file -> {
                String route = String.join("\n", lines(file));
                collect(keys, route, "\\{\\{([a-z][a-z0-9.-]*)[:}]");                     // {{key:default}}
                collect(keys, route, "idFor\\('([a-z][a-z0-9.-]*)'");                     // a dial's number map
                collect(keys, route, "numberMaps: ([a-z][a-z0-9.-]*)");
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // a route template's own parameters ({{provider}}, ...) and the message's values (${header.x}) are no settings
        keys.removeIf(key -> key.startsWith("header.") || key.startsWith("body."));
        keys.removeAll(templateParameters());
        // <provider>.webhook-token: the token of each provider, named by its route
        if (keys.remove(".webhook-token")) {
            keys.addAll(List.of("<name>.webhook-token", "salpre.webhook-token", "verbex.webhook-token"));
        }
        keys.remove("spring.datasource.hikari.maximum-pool-size");   // read to warn; documented with the store
        keys.add("spring.datasource.hikari.maximum-pool-size");
        return keys;
    }

    private static Set<String> templateParameters() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            sources.filter(file -> file.toString().endsWith(".java"))
                    .forEach(file -> collect(names, String.join("\n", lines(file)), "templateParameter\\(\"([\\w-]+)\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static Set<String> configurationPropertiesKeys() {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Set<String> keys = new TreeSet<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("callbridge")) {
            Class<?> type = load(candidate.getBeanClassName());
            String prefix = type.getAnnotation(ConfigurationProperties.class).value();
            assertThat(type.isRecord()).as(type + " binds as a record").isTrue();
            for (RecordComponent component : type.getRecordComponents()) {
                keys.add(prefix + "." + kebab(component.getName()));
            }
        }
        assertThat(keys).as("the scan found the properties classes").contains("cekura.webhook-url", "bridge.call-grace");
        return keys;
    }

    private static void collect(Set<String> keys, String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        while (matcher.find()) {
            keys.add(matcher.groupCount() == 2 ? matcher.group(1) + "." + matcher.group(2) : matcher.group(1));
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
