package callbridge.providers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Which provider route files the bridge serves. The bundled ones travel inside the artifact, under
 * {@value #BUNDLED} (the build packs the project's top-level {@code routes/*.camel.yaml} there); {@code BRIDGE_ROUTES_DIR},
 * when set, is an extra folder whose {@code *.yaml} files (directly in it) add to them.
 *
 * <p>The one rule: a file's <b>provider name</b> is its file name without {@code .camel.yaml} (or {@code .yaml}):
 * {@code salpre.camel.yaml} is {@code salpre}, {@code dial-vapi.camel.yaml} is {@code dial-vapi}. A file in the extra
 * folder whose provider name is a bundled one's replaces that bundled file; any other adds a provider.
 * {@code BRIDGE_PROVIDERS} (a comma-separated list of provider names; unset or empty: all) keeps only the providers
 * it names; the dial routes ({@code dial-<name>}, no HTTP endpoint, chosen by {@code OUTBOUND_PROVIDER}) are kept
 * whatever it says. A name in {@code BRIDGE_PROVIDERS} that no file has stops the start.
 */
public final class ProviderRouteFiles {
    /** Where the bundled route files are on the classpath. */
    public static final String BUNDLED = "callbridge/routes/";
    public static final String DIAL_PREFIX = "dial-";

    /** One route file served: its provider name, where it is ({@code classpath:...} or a path) and its content. */
    public record RouteFile(String provider, String location, Path path, byte[] content, boolean replacesBundled) {
        public boolean bundled() {
            return path == null;
        }

        /** For the start log: where the file came from. */
        public String describe() {
            return bundled() ? "bundled route file " + location
                    : "BRIDGE_ROUTES_DIR route file " + path + (replacesBundled ? " (replaces the bundled one)" : "");
        }
    }

    private ProviderRouteFiles() {
    }

    /** The file name's provider name: without {@code .camel.yaml}, or else without {@code .yaml}. */
    public static String providerName(String fileName) {
        if (fileName.endsWith(".camel.yaml")) {
            return fileName.substring(0, fileName.length() - ".camel.yaml".length());
        }
        return fileName.endsWith(".yaml") ? fileName.substring(0, fileName.length() - ".yaml".length()) : fileName;
    }

    /** {@code BRIDGE_PROVIDERS}: the names it lists; empty means all. */
    public static Set<String> providers(String setting) {
        Set<String> names = new LinkedHashSet<>();
        if (setting != null) {
            Arrays.stream(setting.split(",")).map(String::trim).filter(name -> !name.isEmpty()).forEach(names::add);
        }
        return names;
    }

    /** The files to load, by provider name: bundled, then replaced or added by the extra folder, then filtered. */
    public static List<RouteFile> resolve(String routesDir, String providersSetting) {
        TreeMap<String, RouteFile> files = new TreeMap<>();
        for (RouteFile file : bundled()) {
            files.putIfAbsent(file.provider(), file);
        }
        if (routesDir != null && !routesDir.isBlank()) {
            for (Path path : extraFiles(Path.of(routesDir))) {
                String name = providerName(path.getFileName().toString());
                RouteFile replaced = files.put(name, new RouteFile(name, "file:" + path, path, read(path), false));
                if (replaced != null && replaced.bundled()) {
                    files.put(name, new RouteFile(name, "file:" + path, path, files.get(name).content(), true));
                }
            }
        }
        Set<String> wanted = providers(providersSetting);
        if (wanted.isEmpty()) {
            return List.copyOf(files.values());
        }
        List<String> unknown = wanted.stream().filter(name -> !files.containsKey(name)).toList();
        if (!unknown.isEmpty()) {
            throw new UnknownProvidersException("BRIDGE_PROVIDERS names " + String.join(", ", unknown) + " but no route file (bundled: "
                    + String.join(", ", names(bundled())) + "; or <name>.camel.yaml in BRIDGE_ROUTES_DIR) has that provider name");
        }
        return files.values().stream().filter(file -> wanted.contains(file.provider()) || file.provider().startsWith(DIAL_PREFIX)).toList();
    }

    /** {@code BRIDGE_PROVIDERS} names a provider no route file has: the start stops with this one line. */
    public static final class UnknownProvidersException extends IllegalStateException {
        UnknownProvidersException(String message) {
            super(message);
        }
    }

    private static List<String> names(Collection<RouteFile> files) {
        return files.stream().map(RouteFile::provider).toList();
    }

    /** The bundled route files, by name. */
    public static List<RouteFile> bundled() {
        try {
            Resource[] found = new PathMatchingResourcePatternResolver(ProviderRouteFiles.class.getClassLoader())
                    .getResources("classpath*:" + BUNDLED + "*.yaml");
            List<RouteFile> files = new ArrayList<>();
            for (Resource resource : found) {
                String fileName = resource.getFilename();
                if (fileName == null) {
                    continue;
                }
                try (InputStream in = resource.getInputStream()) {
                    files.add(new RouteFile(providerName(fileName), "classpath:" + BUNDLED + fileName, null, in.readAllBytes(), false));
                }
            }
            files.sort(java.util.Comparator.comparing(RouteFile::provider));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The extra folder's {@code *.yaml} files, by name; a folder that does not exist stops the start. */
    public static List<Path> extraFiles(Path routesDir) {
        if (!Files.isDirectory(routesDir)) {
            throw new IllegalStateException("provider routes folder " + routesDir + " not found",
                    new NoSuchFileException(routesDir.toString()));
        }
        try (Stream<Path> files = Files.list(routesDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
