package io.tether.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;

/**
 * The storage of a new single-node KRaft broker, as {@code kafka.tools.StorageTool format} writes it: formatted once
 * per build of local-kafka into a template, then copied for every new broker. The tool is a JVM of its own (1.5–2 s
 * of CPU), and every broker here has the same node id and static voters, so the files it writes (meta.properties and
 * bootstrap.checkpoint) are the same for all of them but the cluster and directory ids, which only matter to brokers
 * of one cluster: each broker here is a cluster of its own.
 */
final class KraftStorage {
    /** What formats an empty directory as the broker's storage (runs the tool with a config naming it). */
    interface Formatter {
        void format(Path dataDir) throws IOException;
    }

    private KraftStorage() {
    }

    /**
     * Fills {@code dataDir} (empty or absent) as a freshly formatted broker's storage, from the template under
     * {@code buildDir} for this {@code classpath}, which {@code formatter} makes first when there is none.
     *
     * @return the template copied
     */
    static Path formatInto(Path dataDir, Path buildDir, String classpath, Formatter formatter) throws IOException {
        Path template = buildDir.resolve("kraft-storage-" + hash(classpath));
        if (!Files.isDirectory(template)) {
            make(template, formatter);
        }
        Files.createDirectories(dataDir);
        try (var paths = Files.walk(template)) {
            for (Path from : (Iterable<Path>) paths::iterator) {
                Path to = dataDir.resolve(template.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return template;
    }

    /**
     * Formats into a directory of its own, then renames it into place, so a template that exists is complete; when
     * another JVM's template got there first, that one is as good.
     */
    private static void make(Path template, Formatter formatter) throws IOException {
        Files.createDirectories(template.getParent());
        Path fresh = Files.createTempDirectory(template.getParent(), template.getFileName() + ".making-");
        try {
            Path data = fresh.resolve("data");
            formatter.format(data);
            try {
                Files.move(data, template, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) { // rename(2) onto a directory that is not empty
                if (!Files.isDirectory(template)) {
                    throw raced;
                }
            }
        } finally {
            deleteTree(fresh);
        }
    }

    private static String hash(String classpath) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(classpath.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
