package io.tether.deploy;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Tether Helm chart ({@code deploy/helm/tether}), linted and rendered in-process through helm-java (Helm's
 * own Go code as a native library): no helm binary, no cluster.
 */
public final class Chart {
    /** Release name of the plain manifests in k8s/ and of the tests' renderings. */
    public static final String RELEASE = "tether";
    /** Kubernetes version rendered for; the chart needs at least 1.30 (preStop sleep action). */
    public static final String KUBE_VERSION = "1.31.0";
    private static final Pattern SOURCE = Pattern.compile("^# Source: [^/]+/templates/(\\S+)\\s*$", Pattern.MULTILINE);

    private final Path root;

    /** @param root the repository root */
    public Chart(Path root) {
        this.root = root;
    }

    /** Finds the repository root from {@code tether.root} or by walking up from the working directory. */
    public static Path repositoryRoot() {
        String configured = System.getProperty("tether.root");
        if (configured != null && Files.isDirectory(Path.of(configured, "deploy/helm/tether"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/helm/tether/Chart.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no deploy/helm/tether/Chart.yaml above " + Path.of("").toAbsolutePath());
    }

    public Path root() {
        return root;
    }

    public Path chartDir() {
        return root.resolve("deploy/helm/tether");
    }

    /** {@code helm lint --strict} with the chart's default values. */
    public LintResult lint() {
        return new Helm(chartDir()).lint().strict().call();
    }

    /**
     * {@code helm template} with the given values files (relative to the repository root) and {@code --set}
     * pairs, split by the template that produced each part.
     *
     * @return template file name (e.g. 031-Deployment-gateway-mqtt.yaml) to its rendered YAML, in render order;
     *     templates that render nothing are absent
     */
    public Map<String, String> render(List<String> valuesFiles, Map<String, Object> set) {
        TemplateCommand template = new Helm(chartDir()).template()
                .withName(RELEASE)
                .withKubeVersion(KUBE_VERSION);
        for (String file : valuesFiles) {
            template = template.withValuesFile(root.resolve(file));
        }
        for (Map.Entry<String, Object> entry : set.entrySet()) {
            template = template.set(entry.getKey(), entry.getValue());
        }
        return split(template.call());
    }

    /**
     * What Helm prints after installing with the given values ({@code helm install --dry-run=client}): the rendered
     * NOTES.txt, which {@code helm template} leaves out.
     */
    public String notes(List<String> valuesFiles, Map<String, Object> set) {
        InstallCommand install = new Helm(chartDir()).install()
                .withName(RELEASE)
                .withNamespace("tether")
                .withKubeVersion(KUBE_VERSION)
                .clientOnly()
                .withDryRunOption(DryRun.CLIENT);
        for (String file : valuesFiles) {
            install = install.withValuesFile(root.resolve(file));
        }
        for (Map.Entry<String, Object> entry : set.entrySet()) {
            install = install.set(entry.getKey(), entry.getValue());
        }
        String output = install.call().getOutput();
        int notes = output.indexOf("NOTES:");
        if (notes < 0) {
            throw new IllegalStateException("no NOTES: in the install output:\n" + output);
        }
        return output.substring(notes + "NOTES:".length());
    }

    /** Splits {@code helm template} output at its {@code # Source:} comments. */
    static Map<String, String> split(String rendered) {
        Map<String, List<String>> parts = new LinkedHashMap<>();
        String current = null;
        for (String document : rendered.split("(?m)^---\\s*$")) {
            Matcher source = SOURCE.matcher(document);
            if (source.find()) {
                current = source.group(1);
                String body = document.substring(source.end()).strip();
                if (!body.isEmpty()) {
                    parts.computeIfAbsent(current, k -> new ArrayList<>()).add(body);
                }
            } else if (!document.isBlank()) {
                throw new IllegalStateException("rendered document without a # Source: line:\n" + document);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        parts.forEach((file, documents) -> out.put(file, String.join("\n---\n", documents) + "\n"));
        return out;
    }
}
