package callbridge.providers;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Refuses, at start, a provider route file that lets the message choose an endpoint: {@code ${...}} (simple)
 * in an endpoint URI ({@code to}, {@code toD}, {@code wireTap}, a {@code uri}, its {@code parameters}), or
 * {@code recipientList}, {@code routingSlip}, {@code dynamicRouter}, {@code enrich}, {@code pollEnrich} with
 * anything but a {@code constant}. Property placeholders ({@code {{...}}}) stay allowed: they are resolved at start.
 * <p>
 * It reads the {@code *.yaml} files directly in {@code bridge.routes-dir}, the extra folder (what Camel loads) as YAML nodes, and
 * runs while the Spring context is built: before {@link ProviderRoutesLoader} loads the route files on the context's
 * refresh. A file that is not valid YAML is left to Camel, whose own report names its line.
 */
@Component
@Lazy(false)
public class RouteFileUriCheck {
    /** Steps whose endpoint is computed from the message by an expression. */
    private static final Set<String> COMPUTED_ENDPOINTS = Set.of("recipientList", "routingSlip", "dynamicRouter", "enrich", "pollEnrich");
    /** Steps whose URI is evaluated as simple for each message. */
    private static final Set<String> DYNAMIC_URIS = Set.of("toD", "wireTap");
    /** Steps and keys that hold a (static) endpoint URI. */
    private static final Set<String> STATIC_URIS = Set.of("to", "from", "uri", "deadLetterUri");

    public RouteFileUriCheck(@Value("${bridge.routes-dir:}") String routesDir) {
        if (!routesDir.isBlank()) {
            check(Path.of(routesDir));                    // the bundled files are checked by the build's tests
        }
    }

    /** Throws {@link UnsafeRouteFileException} for the first unsafe endpoint in the folder's route files. */
    public static void check(Path routesDir) {
        if (!Files.isDirectory(routesDir)) {
            return;                                       // Camel says plainly that the folder is missing
        }
        try (Stream<Path> files = Files.list(routesDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(f)).sorted().toList()) {
                checkFile(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void checkFile(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (Node document : new Compose(LoadSettings.builder().build()).composeAllFromReader(reader)) {
                walk(file, document);
                ProviderDeclarationCheck.check(file, document);
            }
        } catch (YamlEngineException notYaml) {
            // Camel's YAML DSL reports it, with its line
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void walk(Path file, Node node) {
        if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(item -> walk(file, item));
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple entry : mapping.getValue()) {
                String key = entry.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "";
                Node value = entry.getValueNode();
                if (COMPUTED_ENDPOINTS.contains(key)) {
                    checkConstant(file, key, value);
                } else if (DYNAMIC_URIS.contains(key) || STATIC_URIS.contains(key)) {
                    checkUri(file, key, value);
                }
                walk(file, value);
            }
        }
    }

    /** A URI (scalar, or a mapping's {@code uri} and {@code parameters}) must not hold simple. */
    private static void checkUri(Path file, String step, Node value) {
        if (value instanceof ScalarNode scalar) {
            refuseSimple(file, step, scalar);
        } else if (value instanceof MappingNode mapping) {
            for (NodeTuple entry : mapping.getValue()) {
                String key = entry.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "";
                if (key.equals("uri") || key.equals("parameters")) {
                    scalars(entry.getValueNode()).forEach(scalar -> refuseSimple(file, step, scalar));
                }
            }
        }
    }

    /** recipientList and its kin: only a constant list of endpoints, without simple. */
    private static void checkConstant(Path file, String step, Node value) {
        Node expression = value;
        if (expression instanceof MappingNode mapping) {
            Node inner = valueOf(mapping, "expression");
            expression = inner != null ? inner : mapping;
        }
        Node constant = expression instanceof MappingNode mapping ? valueOf(mapping, "constant") : null;
        if (constant == null) {
            throw new UnsafeRouteFileException(file, value, step + " computes its endpoint from the message"
                    + " (only a constant is allowed: a webhook value must never choose an endpoint or its options)");
        }
        scalars(constant).forEach(scalar -> refuseSimple(file, step, scalar));
    }

    private static void refuseSimple(Path file, String step, ScalarNode scalar) {
        String text = scalar.getValue();
        if (text.contains("${") || text.contains("$simple{")) {
            throw new UnsafeRouteFileException(file, scalar, step + " puts ${...} into an endpoint URI"
                    + " (a webhook value could choose the endpoint or its options)");
        }
    }

    private static Node valueOf(MappingNode mapping, String key) {
        for (NodeTuple entry : mapping.getValue()) {
            if (entry.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                return entry.getValueNode();
            }
        }
        return null;
    }

    private static List<ScalarNode> scalars(Node node) {
        if (node instanceof ScalarNode scalar) {
            return List.of(scalar);
        } else if (node instanceof SequenceNode sequence) {
            return sequence.getValue().stream().flatMap(item -> scalars(item).stream()).toList();
        } else if (node instanceof MappingNode mapping) {
            return mapping.getValue().stream().flatMap(entry -> scalars(entry.getValueNode()).stream()).toList();
        }
        return List.of();
    }

    /** The start's one-line reason: file, line, column, what is wrong and what to do instead. */
    public static final class UnsafeRouteFileException extends IllegalStateException {
        private final Path file;
        private final int line;

        UnsafeRouteFileException(Path file, Node at, String problem) {
            super(message(file, at, problem));
            this.file = file;
            this.line = at.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
        }

        private static String message(Path file, Node at, String problem) {
            String where = at.getStartMark().map(mark -> " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1)).orElse("");
            return "Provider route file " + file + " is refused" + where + ": " + problem;
        }

        public Path file() {
            return file;
        }

        public int line() {
            return line;
        }
    }
}
