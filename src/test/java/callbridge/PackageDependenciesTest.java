package callbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The feature packages under {@code callbridge} import each other one way only (docs/design.md, "Project layout"):
 * read from the sources' import lines, so a class moved or an import added that closes a cycle fails here. The top
 * package (the application, its configuration, the shared log and JSON helpers) is left out: it is the composition root.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/callbridge");
    private static final Pattern IMPORT = Pattern.compile("^import (callbridge\\.[a-z][a-z0-9]*)(?:\\.[a-z][a-z0-9]*)*\\.[A-Z]\\w*;", Pattern.MULTILINE);

    @Test
    void noFeaturePackageDependsOnOneThatDependsOnIt() throws IOException {
        Map<String, Set<String>> imports = imports();
        assertThat(imports).containsKeys("callbridge.ingest", "callbridge.calls", "callbridge.delivery", "callbridge.claims");
        assertThat(cycle(imports)).as("a cycle of package imports").isEmpty();
    }

    @Test
    void theCheckSeesACycle() {
        Map<String, Set<String>> imports = new TreeMap<>(Map.of(
                "callbridge.a", Set.of("callbridge.b"), "callbridge.b", Set.of("callbridge.c"), "callbridge.c", Set.of("callbridge.a")));
        assertThat(cycle(imports)).containsExactly("callbridge.a", "callbridge.b", "callbridge.c", "callbridge.a");
    }

    /** Feature package → the other feature packages its classes import. */
    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path folder = SOURCES.relativize(file.getParent());
                if (folder.toString().isEmpty()) {
                    continue;   // the top package
                }
                String own = "callbridge." + folder.getName(0);
                Matcher imported = IMPORT.matcher(Files.readString(file));
                Set<String> uses = imports.computeIfAbsent(own, p -> new TreeSet<>());
                while (imported.find()) {
                    if (!imported.group(1).equals(own)) {
                        uses.add(imported.group(1));
                    }
                }
            }
        }
        return imports;
    }

    /** A cycle, as the packages along it (the first repeated at the end), or empty. */
    private static List<String> cycle(Map<String, Set<String>> imports) {
        Set<String> done = new HashSet<>();
        for (String start : imports.keySet()) {
            List<String> found = walk(start, imports, new ArrayList<>(), done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> walk(String from, Map<String, Set<String>> imports, List<String> path, Set<String> done) {
        if (path.contains(from)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(from), path.size()));
            cycle.add(from);
            return cycle;
        }
        if (!done.add(from)) {
            return List.of();
        }
        path.add(from);
        for (String next : imports.getOrDefault(from, Set.of())) {
            List<String> found = walk(next, imports, path, done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        return List.of();
    }
}
