package io.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stands in for the JVM with a shell that writes the file it was told to and exits as the JVM would. */
class ClassArchiveTest {
    private static final List<String> OPTIONS = List.of("-Xmx256m");

    @TempDir
    Path dir;

    @Test
    void theFirstJvmWritesTheArchiveAtExitAndTheNextOneMapsIt() throws Exception {
        ClassArchive first = ClassArchive.of(dir, "svc", "jar 1", OPTIONS);
        Path writing = optionValue(first.options(), "-XX:ArchiveClassesAtExit=");
        first.exited(exitingWith(143, writing));

        List<String> next = ClassArchive.of(dir, "svc", "jar 1", OPTIONS).options();
        Path mapped = optionValue(next, "-XX:SharedArchiveFile=");
        assertTrue(Files.isRegularFile(mapped), "the archive was kept at " + mapped);
        assertFalse(Files.exists(writing), "the unfinished name is gone");
        assertTrue(next.contains("-Xlog:cds=off"), "CDS's skip messages stay out of the logs: " + next);
    }

    @Test
    void aJvmKilledWhileItMayHaveBeenWritingLeavesNoArchive() throws Exception {
        ClassArchive archive = ClassArchive.of(dir, "svc", "jar 1", OPTIONS);
        Path writing = optionValue(archive.options(), "-XX:ArchiveClassesAtExit=");
        archive.exited(exitingWith(137, writing));

        assertFalse(Files.exists(writing));
        optionValue(ClassArchive.of(dir, "svc", "jar 1", OPTIONS).options(), "-XX:ArchiveClassesAtExit=");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".jsa")).toList());
        }
    }

    @Test
    void otherCodeOrOtherJvmOptionsGetAnArchiveOfTheirOwn() {
        Path a = optionValue(ClassArchive.of(dir, "svc", "jar 1", OPTIONS).options(), "-XX:ArchiveClassesAtExit=");
        Path rebuilt = optionValue(ClassArchive.of(dir, "svc", "jar 2", OPTIONS).options(), "-XX:ArchiveClassesAtExit=");
        Path otherOptions = optionValue(ClassArchive.of(dir, "svc", "jar 1", List.of("-Xmx1g")).options(),
                "-XX:ArchiveClassesAtExit=");
        assertNotEquals(finalName(a), finalName(rebuilt));
        assertNotEquals(finalName(a), finalName(otherOptions));
    }

    private static String finalName(Path writing) {
        String name = writing.getFileName().toString();
        return name.substring(0, name.indexOf(".jsa") + 4);
    }

    private static Path optionValue(List<String> options, String prefix) {
        return Path.of(options.stream().filter(o -> o.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in " + options)).substring(prefix.length()));
    }

    private static Process exitingWith(int exit, Path writes) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", "printf archive > \"$0\"; exit " + exit, writes.toString()).start();
        process.waitFor();
        return process;
    }
}
