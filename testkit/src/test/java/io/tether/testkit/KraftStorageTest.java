package io.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The template is formatted once per key (classpath and storage settings) and copied whole; the formatter here is a stand-in writing files in a tree. */
class KraftStorageTest {
    @TempDir
    Path tmp;

    private final AtomicInteger formats = new AtomicInteger();

    private void format(Path data) throws IOException {
        formats.incrementAndGet();
        Files.createDirectories(data.resolve("sub"));
        Files.writeString(data.resolve("meta.properties"), "node.id=1\n");
        Files.writeString(data.resolve("sub/bootstrap.checkpoint"), "records");
    }

    /** Broker a's storage for key cp-1, then broker b's for {@code keyOfB}. */
    private void twoBrokers(String keyOfB) throws IOException {
        Path build = tmp.resolve("build");
        KraftStorage.formatInto(tmp.resolve("a/data"), build, "cp-1", this::format);
        KraftStorage.formatInto(tmp.resolve("b/data"), build, keyOfB, this::format);
    }

    @Test
    void formatsOnceAndCopiesTheWholeTemplateIntoEachBrokersStorage() throws IOException {
        twoBrokers("cp-1");

        assertEquals(1, formats.get());
        for (String broker : new String[] {"a", "b"}) {
            assertEquals("node.id=1\n", Files.readString(tmp.resolve(broker + "/data/meta.properties")));
            assertEquals("records", Files.readString(tmp.resolve(broker + "/data/sub/bootstrap.checkpoint")));
        }
    }

    @Test
    void anotherKeyGetsATemplateOfItsOwn() throws IOException {
        twoBrokers("cp-2");

        assertEquals(2, formats.get());
    }

    @Test
    void aTemplateAnotherJvmPutInPlaceMeanwhileIsUsedAndNothingIsLeftBehind() throws IOException {
        Path build = tmp.resolve("build");
        KraftStorage.formatInto(tmp.resolve("a/data"), build, "cp-1", this::format);
        Path template;
        try (var entries = Files.list(build)) {
            template = entries.filter(p -> p.getFileName().toString().startsWith("kraft-storage-")).findFirst().orElseThrow();
        }
        Path other = tmp.resolve("other");
        Files.move(template, other);

        // This formatter finds the template gone, formats, and while it does the "other JVM" puts its own in place.
        KraftStorage.formatInto(tmp.resolve("b/data"), build, "cp-1", data -> {
            format(data);
            Files.move(other, template);
            Files.writeString(template.resolve("meta.properties"), "node.id=1\nfrom=other\n");
        });

        assertEquals("node.id=1\nfrom=other\n", Files.readString(tmp.resolve("b/data/meta.properties")));
        try (var entries = Files.list(build)) {
            assertFalse(entries.anyMatch(p -> p.getFileName().toString().contains(".making-")), "the half-way directory is removed");
        }
    }

    @Test
    void aFormatThatFailsHalfWayLeavesNoTemplateAndTheNextOneIsMade() throws IOException {
        Path build = tmp.resolve("build");
        assertThrows(IOException.class, () -> KraftStorage.formatInto(tmp.resolve("a/data"), build, "cp-1", data -> {
            Files.createDirectories(data);
            Files.writeString(data.resolve("meta.properties"), "half\n");
            throw new IOException("the tool failed");
        }));
        try (var entries = Files.list(build)) {
            assertEquals(List.of(), entries.toList(), "no template and no half-way directory");
        }
        assertFalse(Files.exists(tmp.resolve("a/data")));

        KraftStorage.formatInto(tmp.resolve("b/data"), build, "cp-1", this::format);
        assertEquals(1, formats.get());
        assertEquals("node.id=1\n", Files.readString(tmp.resolve("b/data/meta.properties")));
    }

    @Test
    void aCopyThatDidNotFinishIsCompletedWithMetaPropertiesLast() throws IOException {
        Path build = tmp.resolve("build");
        Path data = tmp.resolve("a/data");
        Files.createDirectories(data.resolve("sub"));
        Files.writeString(data.resolve("sub/bootstrap.checkpoint"), "torn");

        KraftStorage.formatInto(data, build, "cp-1", this::format);

        assertEquals("records", Files.readString(data.resolve("sub/bootstrap.checkpoint")));
        assertEquals("node.id=1\n", Files.readString(data.resolve(KraftStorage.MARKER)));
    }
}
