package io.tether.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;

/**
 * The storage of a new single-node KRaft broker, as {@code kafka.tools.StorageTool format} writes it: formatted once
 * into a template under local-kafka's build directory (until it is cleaned), then copied for every new broker. The tool
 * is a JVM of its own (one run on an idle machine here: 1.7 s, 2.1 s of CPU). Every broker here has node id 1 and
 * static voters ({@code controller.quorum.voters}), so the tool writes the same files for all of them (meta.properties
 * and bootstrap.checkpoint: no ports, no addresses) but the cluster and directory ids, which only matter between
 * brokers of one cluster: each broker here is a cluster of its own. A dynamic quorum would write a voter set with the
 * controller's address: it must not be copied.
 */
final class KraftStorage {
    /** What formats an empty directory as the broker's storage (runs the tool with a config naming it). */
    interface Formatter {
        void format(Path dataDir) throws IOException;
    }

    /** The file whose presence makes a broker take its storage as formatted. */
    static final String MARKER = "meta.properties";

    private KraftStorage() {
    }

    /**
     * Fills {@code dataDir} (absent, or left without meta.properties by an earlier copy that did not finish) as a
     * freshly formatted broker's storage, from the template for {@code key} under {@code buildDir}, which
     * {@code formatter} makes first when there is none. meta.properties, by which a broker's storage counts as
     * formatted, is copied last.
     *
     * @param key what the formatted files depend on (the broker's classpath, the settings that shape its storage)
     * @return the template copied
     */
    static Path formatInto(Path dataDir, Path buildDir, String key, Formatter formatter) throws IOException {
        Path template = buildDir.resolve("kraft-storage-" + hash(key));
        if (!Files.isDirectory(template)) {
            make(template, formatter);
        }
        Files.createDirectories(dataDir);
        try (var paths = Files.walk(template)) {
            for (Path from : (Iterable<Path>) paths::iterator) {
                Path to = dataDir.resolve(template.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else if (!from.getFileName().toString().equals(MARKER)) {
                    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.copy(template.resolve(MARKER), dataDir.resolve(MARKER), StandardCopyOption.REPLACE_EXISTING);
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
            try {
                deleteTree(fresh);
            } catch (IOException e) {
                // what is left is harmless (local-kafka/target); the formatter's own failure, if any, is what matters
            }
        }
    }

    private static String hash(String key) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
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
