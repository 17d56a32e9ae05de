package io.tether.bench.download;

import io.tether.attachments.AttachmentCheck;
import io.tether.attachments.storage.AttachmentStore;
import io.tether.testkit.Poll;
import io.tether.bench.stack.Devices;
import io.tether.bench.stack.JvmFlags;
import io.tether.bench.stack.Rest;
import io.tether.bench.stack.TetherStack;
import io.tether.contract.attachment.DownloadDescriptor;
import io.tether.testkit.S3Server;
import io.tether.testkit.TestCertificates;
import io.tether.testkit.TetherRoot;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Issue 14's benchmark line: download throughput of one large attachment body (100 MB by default) through Tether
 * (the signed URL of its descriptor, served by the gateway's device HTTPS endpoint, which streams it from S3) against
 * the same object read straight from the S3 server (a presigned S3 GET). Both with the same JDK HTTP client in this
 * JVM, the paths taking turns, every round read to its end and discarded; one untimed round per path first checks
 * the bytes (size and SHA-256 against the signed descriptor). Prints figures and writes them to {@code report.md};
 * no thresholds.
 *
 * <pre>
 * DownloadBench [--size-mb 100] [--rounds 5] [--out DIR] [--work DIR]
 * </pre>
 */
public final class DownloadBench {
    private static final String BUCKET = "tether-bench";
    private static final String DEVICE_HOST = "localhost";

    private DownloadBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        long size = Long.parseLong(options.getOrDefault("--size-mb", "100")) * 1024 * 1024;
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "5"));
        Path root = TetherRoot.path();
        Path work = Path.of(options.getOrDefault("--work", root.resolve("bench/target/work-download").toString())).toAbsolutePath();
        Path out = Path.of(options.getOrDefault("--out", root.resolve("bench/results").resolve(LocalDate.now() + "-download").toString()))
                .toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work.resolve("tls"));
        List<String> report = run(work, size, rounds);
        Files.createDirectories(out);
        Files.write(out.resolve("report.md"), report);
        System.out.println("bench: results in " + out);
        System.exit(0);
    }

    private static List<String> run(Path work, long size, int rounds) throws Exception {
        int devicePort = io.tether.testkit.Ports.free();
        TestCertificates.Issued certificate = TestCertificates.server(work.resolve("tls"), DEVICE_HOST);
        try (S3Server s3 = S3Server.start(work.resolve("s3"))) {
            Map<String, String> attachments = new LinkedHashMap<>(s3.serviceConfig(BUCKET));
            attachments.put("tether.attachments.signing-keys-dir", work.resolve("signing").toString());
            attachments.put("tether.attachments.generate-signing-key", "true");
            attachments.put("tether.attachments.public-url", "https://" + DEVICE_HOST + ":" + devicePort);
            Map<String, String> gateway = new LinkedHashMap<>();
            gateway.put("tether.mqtt.tls.certificates[0].cert", certificate.certPem().toString());
            gateway.put("tether.mqtt.tls.certificates[0].key", certificate.keyPem().toString());
            gateway.put("tether.device-http.port", Integer.toString(devicePort));
            try (TetherStack stack = TetherStack.start(work, Duration.ofSeconds(10), JvmFlags.defaults(), "always", TetherRoot.path(), attachments, gateway);
                    Rest rest = new Rest(stack.apiKey(), 4)) {
                Transfers http = new Transfers(certificate);
                System.out.printf("bench: uploading %d MB ... ", size >> 20);
                Transfers.Uploaded uploaded = http.upload(stack.fanoutPort(), stack.apiKey(), size);
                System.out.println("ok");
                Devices.Device device = Devices.register(rest, stack.registryPort(), 1, false, 1).get(0);
                String messageId = rest.post(stack.fanoutPort(), "/v1/messages", "{\"to\":{\"device\":" + Rest.quote(device.id())
                        + "},\"payload\":{\"text\":\"bench\"},\"attachment\":{\"id\":" + Rest.quote(uploaded.id()) + "}}").get().field("messageId");
                String deviceUrl = "https://" + DEVICE_HOST + ":" + devicePort;
                String[] jws = new String[1];
                if (!Poll.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> (jws[0] = fetch(http, deviceUrl, device, messageId)) != null)) {
                    throw new IllegalStateException("message " + messageId + " did not reach the device's fetch within 60 s");
                }
                DownloadDescriptor descriptor = AttachmentCheck.descriptor(jws[0], http.jwks(deviceUrl));
                AttachmentCheck.sameMessage(descriptor, messageId);
                URI direct = presignedGet(s3, uploaded.id());

                // Untimed: both paths give the very bytes the signed descriptor promises.
                for (URI uri : List.of(URI.create(descriptor.url()), direct)) {
                    Transfers.Read checked = http.download(uri, true);
                    AttachmentCheck.file(descriptor, checked.bytes(), checked.sha256());
                }
                List<Transfers.Read> viaTether = new ArrayList<>();
                List<Transfers.Read> viaS3 = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    viaTether.add(http.download(URI.create(descriptor.url()), false));
                    viaS3.add(http.download(direct, false));
                }
                return report(size, rounds, viaTether, viaS3);
            }
        }
    }

    private static String fetch(Transfers http, String deviceUrl, Devices.Device device, String messageId) {
        try {
            return http.fetchDescriptor(deviceUrl, device.id(), device.password(), messageId);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> report(long size, int rounds, List<Transfers.Read> viaTether, List<Transfers.Read> viaS3) {
        List<String> lines = new ArrayList<>();
        lines.add("# Attachment download: through Tether vs straight from S3");
        lines.add("");
        lines.add("Command: `bench/download --size-mb " + (size >> 20) + " --rounds " + rounds + "`, " + LocalDate.now() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores. One body of " + (size >> 20) + " MiB uploaded by "
                + "`POST /v1/attachments` into S3Proxy (filesystem store); each round reads it whole with the JDK HTTP client "
                + "and discards it; the two paths take turns. Tether: the descriptor's signed URL on the gateway's device "
                + "endpoint (HTTPS, which streams the object from S3). S3: a presigned GET on the S3 server (plain HTTP, no TLS).");
        lines.add("");
        lines.add("| path | protocol | rounds (MB/s) | median MB/s | median time |");
        lines.add("|---|---|---|---|---|");
        lines.add(row("through Tether (signed URL)", viaTether));
        lines.add(row("straight from S3 (presigned)", viaS3));
        lines.add("");
        lines.add(String.format("Tether's median throughput is %.0f %% of the direct read's.",
                100 * median(viaTether, Transfers.Read::megabytesPerSecond) / median(viaS3, Transfers.Read::megabytesPerSecond)));
        lines.forEach(System.out::println);
        return lines;
    }

    private static String row(String name, List<Transfers.Read> reads) {
        StringBuilder each = new StringBuilder();
        for (Transfers.Read read : reads) {
            each.append(each.isEmpty() ? "" : ", ").append(String.format("%.0f", read.megabytesPerSecond()));
        }
        return String.format("| %s | %s | %s | %.0f | %.2f s |", name, reads.get(0).protocol(), each,
                median(reads, Transfers.Read::megabytesPerSecond), median(reads, r -> r.nanos() / 1e9));
    }

    private static double median(List<Transfers.Read> reads, java.util.function.ToDoubleFunction<Transfers.Read> value) {
        double[] sorted = reads.stream().mapToDouble(value).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** A GET of the stored object signed with the S3 server's own credentials (SigV4 query auth). */
    private static URI presignedGet(S3Server s3, String attachmentId) throws Exception {
        try (S3Presigner presigner = S3Presigner.builder().region(Region.of(S3Server.REGION)).endpointOverride(URI.create(s3.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Server.ACCESS_KEY_ID, S3Server.SECRET_ACCESS_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build()) {
            return presigner.presignGetObject(request -> request.signatureDuration(Duration.ofHours(1))
                    .getObjectRequest(get -> get.bucket(BUCKET).key(AttachmentStore.key(attachmentId)))).url().toURI();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!List.of("--size-mb", "--rounds", "--out", "--work").contains(args[i]) || i + 1 == args.length) {
                System.err.println("usage: bench/download [--size-mb 100] [--rounds 5] [--out DIR] [--work DIR]");
                System.exit(2);
            }
            options.put(args[i], args[++i]);
        }
        return options;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
