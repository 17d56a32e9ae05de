package io.tether.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * A class-data-sharing archive (AppCDS) for the JVMs tests start from one build: the first JVM of a kind writes the
 * classes it loaded to an archive as it exits after a SIGTERM; later ones map it instead of loading and verifying those
 * classes again. By hand on this machine, with builds running beside it: the Kafka broker ready in 2.9–4.4 s against
 * 4.6–6.3 s without; the first stop takes 3–5 s longer (the dump). The suite starts a dozen test brokers, the first in
 * testkit's own tests. (Services gained as much per start, device-registry 2.8–3.4 s against 4.2–5.4 s, but most of
 * their first JVMs stop only at the end of system-tests, so on a clean clone the dumps cost more than the later
 * starts saved: in a clean run LocalRunIT took 20 s longer, its stop writing them.)
 *
 * <p>An archive is named after what it was made from (the code and the JVM options), so a rebuilt jar or other
 * options make a new one. A JVM that cannot use an archive (another JDK, a jar changed in place) runs without it
 * ({@code -Xshare:auto}, the default): at worst slower, never failing. Several JVMs may write one at once; each
 * writes its own file and the finished one is renamed into place, so no JVM maps a half-written archive.
 */
final class ClassArchive {
    /** CDS says why it skips each class it does not archive: thousands of lines nobody reads in the service logs. */
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    private final Path archive;
    private Path writing;

    private ClassArchive(Path archive) {
        this.archive = archive;
    }

    /**
     * The archive in {@code dir} for JVMs that run {@code code} (what identifies the classes, e.g. the class path) with
     * {@code jvmOptions}.
     */
    static ClassArchive of(Path dir, String name, String code, List<String> jvmOptions) {
        return new ClassArchive(dir.resolve(name + "-" + digest(code + "\n" + String.join(" ", jvmOptions)) + ".jsa"));
    }

    /** JVM options for the next start: map the archive, or write one at exit when there is none yet. */
    synchronized List<String> options() {
        discardUnfinished();
        if (Files.isRegularFile(archive)) {
            return concat("-XX:SharedArchiveFile=" + archive);
        }
        try {
            Files.createDirectories(archive.getParent());
        } catch (IOException e) {
            return List.of();
        }
        writing = archive.resolveSibling(archive.getFileName() + "." + UUID.randomUUID() + ".writing");
        return concat("-XX:ArchiveClassesAtExit=" + writing);
    }

    /**
     * The JVM started with {@link #options()} is gone: its archive is kept when it exited on its own or on SIGTERM
     * (exit 0 or 143, so the dump ran to its end), else thrown away.
     */
    synchronized void exited(Process process) {
        if (writing == null) {
            return;
        }
        int exit = process.isAlive() ? -1 : process.exitValue();
        try {
            if ((exit == 0 || exit == 143) && Files.isRegularFile(writing) && Files.size(writing) > 0) {
                Files.move(writing, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("tether: cannot keep the class archive " + writing + ": " + e);
        }
        discardUnfinished();
    }

    private void discardUnfinished() {
        if (writing != null) {
            try {
                Files.deleteIfExists(writing);
            } catch (IOException e) {
                System.err.println("tether: cannot delete " + writing + ": " + e);
            }
            writing = null;
        }
    }

    private static List<String> concat(String option) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(option), QUIET.stream()).toList();
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
