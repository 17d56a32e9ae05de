package io.tether.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Renders the plain manifests of {@code k8s/base} from the Helm chart: one file per chart template, with the
 * same name, and the kustomization that lists them. Run by {@code deploy/render-k8s}; RenderedManifestsTest fails
 * when k8s/base differs from what this would write.
 */
public final class RenderK8s {
    /** Values of the plain manifests, on top of the chart's defaults. */
    public static final String VALUES = "deploy/helm/values-k8s.yaml";
    static final String HEADER = "# Rendered from deploy/helm/tether with " + VALUES + " by deploy/render-k8s.\n"
            + "# Do not edit: change the chart or its values and run deploy/render-k8s.\n";

    private RenderK8s() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Chart.repositoryRoot();
        Map<String, String> files = expected(new Chart(root));
        Path base = root.resolve("k8s/base");
        Files.createDirectories(base);
        try (Stream<Path> old = Files.list(base)) {
            for (Path file : old.toList()) {
                if (!files.containsKey(file.getFileName().toString())) {
                    Files.delete(file);
                }
            }
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(base.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
        System.out.printf("k8s/base: %d files rendered from deploy/helm/tether%n", files.size());
    }

    /** What k8s/base must contain: file name to content. */
    public static Map<String, String> expected(Chart chart) {
        Map<String, String> rendered = chart.render(List.of(VALUES), Map.of());
        Map<String, String> files = new TreeMap<>();
        rendered.forEach((template, yaml) -> files.put(template, HEADER + yaml));
        StringBuilder kustomization = new StringBuilder(HEADER)
                .append("apiVersion: kustomize.config.k8s.io/v1beta1\n")
                .append("kind: Kustomization\n")
                .append("resources:\n");
        rendered.keySet().stream().sorted().forEach(template -> kustomization.append("  - ").append(template).append('\n'));
        files.put("kustomization.yaml", kustomization.toString());
        return files;
    }
}
