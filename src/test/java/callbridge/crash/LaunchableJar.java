package callbridge.crash;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How the crash tests launch the packaged jar: the same jar, extracted the way Spring Boot documents for
 * efficient deployments ({@code -Djarmode=tools extract}) with a class-data-sharing archive trained once per
 * build of the jar, and the C1 compiler only. On the 2 shared cores the tests run on, a start of the plain
 * fat jar takes 30-50 s; this way about 10 s, and the crash tests start the bridge a dozen times. The code
 * that runs is the packaged jar's, class for class. Anything that fails here falls back to {@code -jar} of
 * the packaged jar itself.
 */
final class LaunchableJar {
    static final Path PACKAGED = Path.of("target", "cekura-call-bridge-exec.jar");
    private static final Path CACHE = Path.of("target", "crash-launch");
    private static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static List<String> arguments;

    private LaunchableJar() {
    }

    /** The JVM arguments that run the bridge, from the options on: {@code [options..., -jar, jar]}. */
    static synchronized List<String> arguments() {
        if (arguments == null) {
            arguments = prepare();
        }
        return arguments;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> prepare() {
        List<String> plain = new ArrayList<>(QUICK_START);
        plain.addAll(List.of("-jar", PACKAGED.toString()));
        try {
            Path dir = CACHE.resolve(stamp(PACKAGED));
            Path extracted = dir.resolve("app").resolve("cekura-call-bridge-exec.jar");
            Path archive = dir.resolve("bridge.jsa");
            if (!Files.exists(archive)) {
                removeOtherBuilds(dir);
                run(List.of(java(), "-Djarmode=tools", "-jar", PACKAGED.toString(), "extract", "--destination",
                        dir.resolve("app").toString()), dir.resolve("extract.log"), dir);
                // a training start: the context refreshes once, the JVM writes the classes it loaded at exit
                List<String> train = new ArrayList<>(List.of(java()));
                train.addAll(QUICK_START);
                train.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh",
                        "-jar", extracted.toString()));
                run(train, dir.resolve("train.log"), dir);
            }
            if (!Files.exists(archive) || !Files.exists(extracted)) {
                return plain;
            }
            List<String> quick = new ArrayList<>(QUICK_START);
            quick.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-jar", extracted.toString()));
            return quick;
        } catch (IOException | RuntimeException failed) {
            return plain;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return plain;
        }
    }

    private static void run(List<String> command, Path log, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("SPRING_DATASOURCE_URL", "jdbc:h2:file:" + dir.resolve("training-db").toAbsolutePath());
        builder.environment().put("SERVER_PORT", "0");
        builder.environment().put("CEKURA_WEBHOOK_URL", "http://127.0.0.1:9/training");
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("launch preparation did not finish; see " + log);
        }
    }

    /** A build of the jar is known by its content: {@code verify} repackages it with a new time. */
    private static String stamp(Path jar) throws IOException {
        try (InputStream in = Files.newInputStream(jar)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static void removeOtherBuilds(Path keep) throws IOException {
        if (!Files.isDirectory(CACHE)) {
            return;
        }
        try (Stream<Path> builds = Files.list(CACHE)) {
            for (Path build : builds.filter(p -> !p.equals(keep)).toList()) {
                try (Stream<Path> files = Files.walk(build)) {
                    for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                } catch (UncheckedIOException ignored) {
                    // a stale build left behind costs disk, not correctness
                }
            }
        }
    }
}
