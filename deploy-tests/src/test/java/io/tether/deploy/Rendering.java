package io.tether.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** A rendering of the chart, split into objects; renderings are cached per values for the whole test run. */
final class Rendering {
    /** The chart's defaults. */
    static final List<String> DEFAULT = List.of();
    /** The production-like example. */
    static final List<String> PRODUCTION = List.of("deploy/helm/values-production.yaml");
    /** The plain manifests of k8s/base. */
    static final List<String> K8S = List.of(RenderK8s.VALUES);

    private static final Chart CHART = new Chart(Chart.repositoryRoot());
    private static final Map<String, Rendering> CACHE = new ConcurrentHashMap<>();

    /** One rendered object and the template it came from. */
    record Manifest(String template, String yaml, Map<String, Object> object) {
        String kind() {
            return (String) object.get("kind");
        }

        String name() {
            return (String) Objects.map(object, "metadata").get("name");
        }

        @Override
        public String toString() {
            return kind() + " " + name() + " (" + template + ")";
        }
    }

    final String label;
    final Map<String, String> byTemplate;
    final List<Manifest> manifests;

    private Rendering(String label, Map<String, String> byTemplate) {
        this.label = label;
        this.byTemplate = byTemplate;
        this.manifests = new ArrayList<>();
        Yaml yaml = new Yaml(new LoaderOptions());
        byTemplate.forEach((template, text) -> {
            for (String document : text.split("(?m)^---\\s*$")) {
                if (document.isBlank()) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) yaml.load(document);
                manifests.add(new Manifest(template, document, object));
            }
        });
    }

    static Chart chart() {
        return CHART;
    }

    static Rendering of(List<String> valuesFiles) {
        return of(valuesFiles, Map.of());
    }

    static Rendering of(List<String> valuesFiles, Map<String, Object> set) {
        String key = valuesFiles + " " + new java.util.TreeMap<>(set);
        return CACHE.computeIfAbsent(key, k -> new Rendering(k, CHART.render(valuesFiles, new LinkedHashMap<>(set))));
    }

    List<Manifest> ofKind(String kind) {
        return manifests.stream().filter(m -> kind.equals(m.kind())).toList();
    }

    Optional<Manifest> find(String kind, String name) {
        return manifests.stream().filter(m -> kind.equals(m.kind()) && name.equals(m.name())).findFirst();
    }

    Manifest get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(label + ": no " + kind + " " + name + " in " + manifests));
    }

    @Override
    public String toString() {
        return label;
    }
}
