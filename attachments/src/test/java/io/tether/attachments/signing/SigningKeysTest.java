package io.tether.attachments.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SigningKeysTest {

    @Test
    void aKeyFileThatIsAlreadyThereIsKept() throws Exception {
        Path dir = Files.createTempDirectory("keys");
        Path file = SigningKeys.generate(dir, "local");
        String first = Files.readString(file);

        SigningKeys.generate(dir, "local");

        assertEquals(first, Files.readString(file));
        assertEquals(List.of("local.pem"), names(dir), "one key file, no draft left behind");
    }

    @Test
    void startsRacingToMakeTheSameKeyAllEndWithTheOneInTheFile() throws Exception {
        Path dir = Files.createTempDirectory("keys");
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<CompletableFuture<String>> racers = IntStream.range(0, 8).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            SigningKeys.generate(dir, "local");
            return SigningKeys.load(dir, Optional.empty()).current().toPublicJWK().toJSONString(); // what it signs with
        }, threads)).toList();
        go.countDown();
        List<String> used = racers.stream().map(CompletableFuture::join).toList();
        threads.shutdown();

        assertEquals(List.of("local.pem"), names(dir), "one key file, no draft left behind");
        String inFile = SigningKeys.load(dir, Optional.empty()).current().toPublicJWK().toJSONString();
        assertEquals(List.of(inFile), used.stream().distinct().toList(), "every racer ended with the key in the file");
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
