package callbridge.providers;

import callbridge.calls.CallEventKind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Checks, before Camel loads a route file, each {@code beans:} entry of type {@link ProviderDeclaration} as it is
 * written (its YAML nodes, so with lines): an unknown key, an event kind or a Cekura role that does not exist, a
 * transcript time unit, a metadata key Camel would rename, each stop the start naming the file and the line.
 * Called by {@link RouteFileUriCheck} for every file it reads.
 */
public final class ProviderDeclarationCheck {
    private static final String TYPE = ProviderDeclaration.class.getName();
    private static final List<String> KINDS = Arrays.stream(CallEventKind.values()).map(Enum::name).toList();

    private ProviderDeclarationCheck() {
    }

    /** {@code document}: one YAML document of {@code file}, as composed nodes. */
    static void check(Path file, Node document) {
        if (!(document instanceof SequenceNode items)) {
            return;
        }
        for (Node item : items.getValue()) {
            Node beans = item instanceof MappingNode mapping ? valueOf(mapping, "beans") : null;
            if (beans instanceof SequenceNode list) {
                for (Node bean : list.getValue()) {
                    if (bean instanceof MappingNode definition && valueOf(definition, "type") instanceof ScalarNode type
                            && TYPE.equals(type.getValue())) {
                        checkBean(file, definition);
                    }
                }
            }
        }
    }

    private static void checkBean(Path file, MappingNode bean) {
        if (!(valueOf(bean, "builderClass") instanceof ScalarNode builder) || !TYPE.equals(builder.getValue())) {
            throw new InvalidDeclarationException(file, bean, "a provider declaration needs 'builderClass: " + TYPE
                    + "' (so that Camel binds its tables whole: event types such as call.started stay one key)");
        }
        Node properties = valueOf(bean, "properties");
        if (!(properties instanceof MappingNode declaration)) {
            throw new InvalidDeclarationException(file, bean, "a provider declaration needs 'properties:' with at least eventType");
        }
        if (valueOf(declaration, "eventType") == null) {
            throw new InvalidDeclarationException(file, declaration, "a provider declaration needs eventType (a JSONPath such as $.type, or a constant)");
        }
        checkFields(file, declaration, true);
    }

    /** The keys of the declaration, or of one event type's entry ({@code top} false). */
    private static void checkFields(Path file, MappingNode fields, boolean top) {
        for (NodeTuple entry : fields.getValue()) {
            String key = keyOf(entry);
            Node value = entry.getValueNode();
            if (!top && "eventType".equals(key)) {
                throw new InvalidDeclarationException(file, entry.getKeyNode(), "eventType belongs to the declaration, not to one event type");
            }
            if (ProviderDeclaration.DEDUPE_KEY.equals(key)) {
                dedupeKey(file, entry);
            } else if (ProviderDeclaration.FIELDS.containsKey(key)) {
                scalar(file, entry, key);
            } else if (!top && "kind".equals(key)) {
                kind(file, value);
            } else if ("metadata".equals(key)) {
                for (NodeTuple fact : mapping(file, entry, "metadata (name: value)").getValue()) {
                    if (keyOf(fact).contains("-")) {
                        throw new InvalidDeclarationException(file, fact.getKeyNode(), "metadata key '" + keyOf(fact)
                                + "' has a dash, which Camel's YAML DSL turns into camel case; use " + keyOf(fact).replace('-', '_'));
                    }
                    scalar(file, fact, "metadata." + keyOf(fact));
                }
            } else if (ProviderDeclaration.LISTS.contains(key)) {
                paths(file, entry, key);
            } else if ("transcript".equals(key)) {
                transcript(file, mapping(file, entry, "transcript"));
            } else if ("numbers".equals(key)) {
                numbers(file, mapping(file, entry, "numbers"));
            } else if (top && "events".equals(key)) {
                for (NodeTuple event : mapping(file, entry, "events (event type: kind)").getValue()) {
                    if (event.getValueNode() instanceof MappingNode own) {
                        if (valueOf(own, "kind") == null) {
                            throw new InvalidDeclarationException(file, own, "event type '" + keyOf(event) + "' needs a kind: one of " + KINDS);
                        }
                        checkFields(file, own, false);
                    } else {
                        kind(file, event.getValueNode());
                    }
                }
            } else {
                throw unknown(file, entry.getKeyNode(), key, top ? "a provider declaration" : "an event type's entry",
                        top ? keys(ProviderDeclaration.FIELDS.keySet(), concat(ProviderDeclaration.GROUPS, ProviderDeclaration.LISTS))
                            : keys(ProviderDeclaration.FIELDS.keySet(),
                                    concat(List.of("kind", "metadata", "transcript", "numbers"), ProviderDeclaration.LISTS)));
            }
        }
    }

    private static void transcript(Path file, MappingNode transcript) {
        for (NodeTuple entry : transcript.getValue()) {
            String key = keyOf(entry);
            switch (key) {
                case "from" -> scalar(file, entry, "transcript.from");
                case "times" -> {
                    String times = scalar(file, entry, "transcript.times");
                    if (!ProviderDeclaration.TIMES.contains(times)) {
                        throw new InvalidDeclarationException(file, entry.getValueNode(), "unknown transcript times '" + times
                                + "'; use one of " + ProviderDeclaration.TIMES);
                    }
                }
                case "startDefault" -> {
                    String startDefault = scalar(file, entry, "transcript.startDefault");
                    if (!ProviderDeclaration.START_DEFAULTS.contains(startDefault)) {
                        throw new InvalidDeclarationException(file, entry.getValueNode(), "unknown transcript startDefault '" + startDefault
                                + "'; use one of " + ProviderDeclaration.START_DEFAULTS);
                    }
                }
                case "fields" -> names(file, mapping(file, entry, "transcript.fields"), "transcript.fields", ProviderDeclaration.LINE_FIELDS);
                case "toolCalls" -> names(file, mapping(file, entry, "transcript.toolCalls"), "transcript.toolCalls",
                        List.copyOf(ProviderDeclaration.TOOL_CALL_KEYS.keySet()));
                case "toolResults" -> names(file, mapping(file, entry, "transcript.toolResults"), "transcript.toolResults",
                        List.copyOf(ProviderDeclaration.TOOL_RESULT_KEYS.keySet()));
                case "roleData" -> {
                    MappingNode roleData = mapping(file, entry, "transcript.roleData (key: a data key, roles: provider roles)");
                    names(file, roleData, "transcript.roleData", ProviderDeclaration.ROLE_DATA_KEYS);
                    if (valueOf(roleData, "key") == null || valueOf(roleData, "roles") == null) {
                        throw new InvalidDeclarationException(file, roleData, "transcript.roleData needs 'key' (the data key, e.g. "
                                + "retell_role) and 'roles' (provider roles separated by commas, e.g. \"dtmf, sms\")");
                    }
                }
                case "roles" -> {
                    for (NodeTuple role : mapping(file, entry, "transcript.roles (provider role: Cekura role)").getValue()) {
                        String cekura = scalar(file, role, "transcript.roles." + keyOf(role));
                        if (!ProviderDeclaration.ROLES.contains(cekura)) {
                            throw new InvalidDeclarationException(file, role.getValueNode(), "unknown role '" + cekura
                                    + "' for '" + keyOf(role) + "'; Cekura's roles are " + ProviderDeclaration.ROLES);
                        }
                    }
                }
                default -> throw unknown(file, entry.getKeyNode(), key, "transcript", ProviderDeclaration.TRANSCRIPT_KEYS);
            }
        }
        if (valueOf(transcript, "from") == null) {
            throw new InvalidDeclarationException(file, transcript, "transcript needs 'from': where the lines are (a JSONPath)");
        }
    }

    /** {@code metadataRest} and {@code required}: JSONPaths separated by commas; metadataRest's plain ({@code $.a.b}). */
    private static void paths(Path file, NodeTuple entry, String key) {
        boolean rest = "metadataRest".equals(key);
        String example = rest ? "$.payload, $.payload.call" : "$.payload.transcript, $.payload.call";
        if (!(entry.getValueNode() instanceof ScalarNode value)) {
            throw new InvalidDeclarationException(file, entry.getValueNode(), key + " is one value: JSONPaths separated by commas, such as "
                    + example + " (Camel binds no YAML list here)");
        }
        for (String path : value.getValue().split(",")) {
            String one = path.trim();
            if (rest ? !ProviderDeclaration.DOTTED.matcher(one).matches() : !one.startsWith("$")) {
                throw new InvalidDeclarationException(file, value, key + " takes " + (rest ? "JSONPaths of objects in dotted form"
                        : "JSONPaths of fields") + " separated by commas, such as " + example + "; '" + one + "' is none");
            }
        }
    }

    /** {@code dedupeKey}: one value, or several separated by commas, none of them empty. */
    private static void dedupeKey(Path file, NodeTuple entry) {
        String text = scalar(file, entry, ProviderDeclaration.DEDUPE_KEY);
        List<String> parts = ProviderDeclaration.parts(text);
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).isEmpty()) {
                throw new InvalidDeclarationException(file, entry.getValueNode(), "dedupeKey is one value, or several separated by "
                        + "commas (joined by '" + ProviderDeclaration.JOIN + "'), such as $.traceId, $.eventName; its value "
                        + (i + 1) + " of " + parts.size() + " is empty");
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static void numbers(Path file, MappingNode numbers) {
        if (valueOf(numbers, "by") == null) {
            throw new InvalidDeclarationException(file, numbers, "numbers needs 'by': the field whose value chooses the entry (e.g. $.message.call.type)");
        }
        for (NodeTuple entry : numbers.getValue()) {
            if ("by".equals(keyOf(entry))) {
                scalar(file, entry, "numbers.by");
            } else {
                names(file, mapping(file, entry, "numbers." + keyOf(entry)), "numbers." + keyOf(entry), ProviderDeclaration.NUMBER_KEYS);
            }
        }
    }

    private static void names(Path file, MappingNode map, String where, List<String> known) {
        for (NodeTuple entry : map.getValue()) {
            if (!known.contains(keyOf(entry))) {
                throw unknown(file, entry.getKeyNode(), keyOf(entry), where, known);
            }
            scalar(file, entry, where + "." + keyOf(entry));
        }
    }

    private static void kind(Path file, Node value) {
        String kind = value instanceof ScalarNode scalar ? scalar.getValue().trim() : "";
        if (!KINDS.contains(kind.toUpperCase(Locale.ROOT))) {
            throw new InvalidDeclarationException(file, value, "unknown event kind '" + kind + "'; use one of " + KINDS);
        }
    }

    private static String scalar(Path file, NodeTuple entry, String where) {
        if (!(entry.getValueNode() instanceof ScalarNode scalar)) {
            throw new InvalidDeclarationException(file, entry.getValueNode(), where + " must be one value (a JSONPath or a constant)");
        }
        return scalar.getValue();
    }

    private static MappingNode mapping(Path file, NodeTuple entry, String what) {
        if (!(entry.getValueNode() instanceof MappingNode map)) {
            throw new InvalidDeclarationException(file, entry.getValueNode(), keyOf(entry) + " must be a map: " + what);
        }
        return map;
    }

    private static InvalidDeclarationException unknown(Path file, Node at, String key, String where, Collection<String> known) {
        return new InvalidDeclarationException(file, at, "unknown key '" + key + "' in " + where + "; known keys: " + String.join(", ", known));
    }

    private static List<String> keys(Collection<String> fields, List<String> more) {
        return java.util.stream.Stream.concat(fields.stream().sorted(), more.stream()).toList();
    }

    private static String keyOf(NodeTuple entry) {
        return entry.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "";
    }

    private static Node valueOf(MappingNode mapping, String key) {
        for (NodeTuple entry : mapping.getValue()) {
            if (key.equals(keyOf(entry))) {
                return entry.getValueNode();
            }
        }
        return null;
    }

    /** The start's one-line reason: file, line, column, and what is wrong. */
    public static final class InvalidDeclarationException extends IllegalStateException {
        InvalidDeclarationException(Path file, Node at, String problem) {
            super("Provider route file " + file + " is invalid"
                    + at.getStartMark().map(mark -> " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1)).orElse("")
                    + ": " + problem);
        }
    }
}
