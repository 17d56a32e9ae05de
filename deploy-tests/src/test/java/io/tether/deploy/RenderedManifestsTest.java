package io.tether.deploy;

import static io.tether.deploy.Objects.list;
import static io.tether.deploy.Objects.map;
import static io.tether.deploy.Objects.maps;
import static io.tether.deploy.Objects.path;
import static io.tether.deploy.Objects.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.util.Yaml;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;

/** k8s/ is what the chart renders, and its dev overlay builds with kustomize. */
class RenderedManifestsTest {
    private static final Path ROOT = Chart.repositoryRoot();
    private static final Path BASE = ROOT.resolve("k8s/base");
    private static final Path DEV = ROOT.resolve("k8s/overlays/dev");

    @Test
    void k8sBaseIsExactlyWhatTheChartRenders() throws IOException {
        Map<String, String> expected = RenderK8s.expected(Rendering.chart());
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(BASE)) {
            files.forEach(f -> present.add(f.getFileName().toString()));
        }
        String stale = "k8s/base differs from the chart: run deploy/render-k8s (never edit k8s/base by hand)";
        assertEquals(new TreeSet<>(expected.keySet()), present, stale);
        for (Map.Entry<String, String> file : expected.entrySet()) {
            assertEquals(file.getValue(), Files.readString(BASE.resolve(file.getKey()), StandardCharsets.UTF_8), stale + ": " + file.getKey());
        }
        String readme = Files.readString(ROOT.resolve("k8s/README.md"));
        assertTrue(readme.contains("deploy/render-k8s") && readme.toLowerCase().contains("do not edit"), "k8s/README.md must say how k8s/ is made");
    }

    @Test
    void devOverlayBuildsWithKustomize() throws Exception {
        Optional<Path> kubectl = onPath("kubectl");
        if (kubectl.isPresent()) {
            Process process = new ProcessBuilder(kubectl.get().toString(), "kustomize", DEV.toString())
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize hangs");
            assertEquals(0, process.exitValue(), "kubectl kustomize k8s/overlays/dev failed:\n" + err);
            checkDevBuild(out);
            System.out.println("kubectl kustomize k8s/overlays/dev: " + out.split("(?m)^---$").length + " objects");
        } else {
            // Without kubectl: check in Java what kustomize would need (not its output).
            System.out.println("kubectl not on PATH: checking the kustomizations' structure without kustomize");
            checkKustomizationStructure();
        }
    }

    /** The built overlay: every object valid, in tether-dev, with the dev patches applied. */
    private static void checkDevBuild(String built) throws IOException {
        List<Map<String, Object>> objects = new ArrayList<>();
        org.yaml.snakeyaml.Yaml yaml = new org.yaml.snakeyaml.Yaml(new LoaderOptions());
        for (String document : built.split("(?m)^---$")) {
            if (document.isBlank()) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) yaml.load(document);
            objects.add(object);
            if (!"monitoring.coreos.com/v1".equals(object.get("apiVersion"))) {
                Yaml.loadAll(document); // strict: unknown fields or wrong types fail
            }
            if (!"Namespace".equals(object.get("kind"))) {
                assertEquals("tether-dev", map(object, "metadata").get("namespace"), object.get("kind") + " " + map(object, "metadata").get("name"));
            }
        }
        assertTrue(objects.stream().anyMatch(o -> "Secret".equals(o.get("kind")) && "tether-credentials".equals(map(o, "metadata").get("name"))),
                "the overlay provides the credentials the base expects");
        for (Map<String, Object> object : objects) {
            String kind = (String) object.get("kind");
            if ("HorizontalPodAutoscaler".equals(kind)) {
                assertEquals(1, ((Number) map(object, "spec").get("minReplicas")).intValue());
            }
            if ("Deployment".equals(kind)) {
                Map<String, Object> container = maps(path(object, "spec", "template", "spec"), "containers").get(0);
                assertTrue(string(container, "image").endsWith(":dev"), string(container, "image"));
                assertEquals("100m", path(container, "resources", "requests").get("cpu"));
            }
            if ("Service".equals(kind) && "tether-gateway-mqtt-internal".equals(map(object, "metadata").get("name"))) {
                assertEquals("NodePort", map(object, "spec").get("type"));
            }
        }
    }

    /** Every resource and patch file exists and parses, and every patch target exists in the base. */
    private static void checkKustomizationStructure() throws IOException {
        Map<String, Object> base = load(BASE.resolve("kustomization.yaml"));
        List<Map<String, Object>> baseObjects = new ArrayList<>();
        for (Object resource : list(base, "resources")) {
            Path file = BASE.resolve((String) resource);
            assertTrue(Files.isRegularFile(file), "k8s/base/kustomization.yaml lists missing " + resource);
            Yaml.loadAll(Files.readString(file));
            baseObjects.add(load(file));
        }
        Map<String, Object> dev = load(DEV.resolve("kustomization.yaml"));
        for (Object resource : list(dev, "resources")) {
            Path target = DEV.resolve((String) resource).normalize();
            assertTrue(Files.isRegularFile(target) || Files.isRegularFile(target.resolve("kustomization.yaml")), "missing " + resource);
        }
        for (Map<String, Object> patch : maps(dev, "patches")) {
            Path file = DEV.resolve((String) patch.get("path"));
            assertTrue(Files.isRegularFile(file), "missing patch " + file);
            new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
            Map<String, Object> target = map(patch, "target");
            assertTrue(baseObjects.stream().anyMatch(o -> target.get("kind").equals(o.get("kind"))
                            && (target.get("name") == null || target.get("name").equals(map(o, "metadata").get("name")))),
                    "patch " + file + " targets nothing: " + target);
        }
        assertTrue(maps(dev, "secretGenerator").stream().anyMatch(s -> "tether-credentials".equals(s.get("name"))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(Path file) throws IOException {
        return (Map<String, Object>) new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
    }

    /** The command on PATH; {@code -Dtether.kubectl=none} pretends there is no kubectl (to run the fallback). */
    private static Optional<Path> onPath(String command) {
        if ("none".equals(System.getProperty("tether." + command))) {
            return Optional.empty();
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
