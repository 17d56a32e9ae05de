package io.tether.deploy;

import static io.tether.deploy.Objects.maps;
import static io.tether.deploy.Objects.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM of every pod starts, with the heap ratio and collector its values ask for. The images (Jib and the
 * Dockerfiles alike, on registry.access.redhat.com/ubi9/openjdk-17-runtime) start java through run-java.sh, which
 * builds the command line from its own defaults and the pod's variables: {@link #runJavaOptions} assembles it the way
 * the script does, and a real JVM is started with it and the pod's JAVA_TOOL_OPTIONS.
 */
class JvmOptionsTest {
    /** The images' own JAVA_OPTS_APPEND (Dockerfile.jvm, and Quarkus Jib's default jvm-arguments). */
    private static final String IMAGE_JAVA_OPTS_APPEND = "-Djava.util.logging.manager=org.jboss.logmanager.LogManager";
    private static final Pattern FLAG = Pattern.compile("^\\s*\\S+\\s+(\\w+)\\s+:?=\\s+(\\S+)", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void everyPodsJvmStartsWithTheHeapRatioAndCollectorItsValuesAskFor() throws Exception {
        checkJvms(Rendering.of(Rendering.DEFAULT), "75.000000", "UseParallelGC");
        checkJvms(Rendering.of(Rendering.K8S), "75.000000", "UseParallelGC");
        checkJvms(Rendering.of(Rendering.PRODUCTION), "75.000000", "UseG1GC");
        checkJvms(Rendering.of(Rendering.DEFAULT, Map.of("jvm.maxRamPercentage", 60, "jvm.gc", "-XX:+UseSerialGC",
                "jvmOptions", "-Xss512k")), "60.000000", "UseSerialGC");
    }

    @Test
    void aCollectorOrHeapRatioInJvmOptionsIsRefusedWithWhereItBelongs() {
        RuntimeException collector = assertThrows(RuntimeException.class,
                () -> Rendering.of(Rendering.DEFAULT, Map.of("jvmOptions", "-Xss512k -XX:+UseG1GC")));
        assertTrue(String.valueOf(collector.getMessage()).contains("set jvm.gc instead"), collector.getMessage());
        RuntimeException ratio = assertThrows(RuntimeException.class,
                () -> Rendering.of(Rendering.DEFAULT, Map.of("jvmOptions", "-XX:MaxRAMPercentage=50.0")));
        assertTrue(String.valueOf(ratio.getMessage()).contains("set jvm.maxRamPercentage instead"), ratio.getMessage());
    }

    @Test
    void javaOptsIsTheWholeOptionListAndTheScriptAddsNothing() throws Exception {
        Rendering rendering = Rendering.of(Rendering.DEFAULT, Map.of("jvm.javaOpts", "-XX:+UseSerialGC -XX:MaxRAMPercentage=40"));
        Map<String, String> env = env(rendering, Service.FANOUT_SERVICE);
        assertFalse(env.containsKey("GC_CONTAINER_OPTIONS"), env.toString());
        assertFalse(env.containsKey("JAVA_MAX_MEM_RATIO"), env.toString());
        assertEquals(List.of("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=40"), runJavaOptions(env));
        checkJvms(rendering, "40.000000", "UseSerialGC");
        RuntimeException both = assertThrows(RuntimeException.class, () -> Rendering.of(Rendering.DEFAULT,
                Map.of("jvm.javaOpts", "-XX:+UseSerialGC", "jvmOptions", "-Xss512k")));
        assertTrue(String.valueOf(both.getMessage()).contains("jvmOptions is not used with jvm.javaOpts"), both.getMessage());
    }

    @Test
    void theScriptsModelAddsItsDefaultsAsTheScriptDoes() {
        // What run-java.sh logs for an image run without any of its variables set.
        assertEquals(List.of("-XX:MaxRAMPercentage=80.0", "-XX:+UseParallelGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20",
                "-XX:GCTimeRatio=4", "-XX:AdaptiveSizePolicyWeight=90", "-XX:+ExitOnOutOfMemoryError", IMAGE_JAVA_OPTS_APPEND),
                runJavaOptions(Map.of()));
        assertFalse(runJavaOptions(Map.of("JAVA_MAX_MEM_RATIO", "0")).stream().anyMatch(o -> o.contains("MaxRAMPercentage")));
    }

    /** Starts one JVM per distinct environment of the rendering's pods; each must start with those flags. */
    private void checkJvms(Rendering rendering, String maxRamPercentage, String collector) throws Exception {
        Map<Map<String, String>, String> checked = new HashMap<>();
        for (Service service : Service.values()) {
            Map<String, String> env = env(rendering, service);
            Map<String, String> jvmEnv = new LinkedHashMap<>();
            env.forEach((name, value) -> {
                if (name.startsWith("JAVA_") || name.startsWith("GC_")) {
                    jvmEnv.put(name, value);
                }
            });
            String where = rendering + ": " + service.module + " " + jvmEnv;
            checked.computeIfAbsent(jvmEnv, e -> {
                Map<String, String> flags = startJvm(e, where);
                assertEquals(maxRamPercentage, flags.get("MaxRAMPercentage"), where);
                assertEquals("true", flags.get(collector), where);
                // run-java.sh adds it, unless JAVA_OPTS replaces everything the script adds.
                assertEquals(!e.containsKey("JAVA_OPTS"), "true".equals(flags.get("ExitOnOutOfMemoryError")), where);
                return "started";
            });
        }
    }

    private static Map<String, String> env(Rendering rendering, Service service) {
        Map<String, Object> pod = path(rendering.get("Deployment", service.objectName()).object(), "spec", "template", "spec");
        return ManifestsMatchCodeTest.literalEnv(maps(pod, "containers").get(0));
    }

    /**
     * The java options run-java.sh of the ubi9 OpenJDK images passes (modules run/run-java.sh and
     * jvm/java-default-options of rh-openjdk/redhat-openjdk-containers): JAVA_OPTS alone when set; else the heap ratio,
     * the collector with its tuning, -XX:+ExitOnOutOfMemoryError, then JAVA_OPTS_APPEND.
     */
    static List<String> runJavaOptions(Map<String, String> env) {
        if (env.containsKey("JAVA_OPTS")) {
            return split(env.get("JAVA_OPTS"));
        }
        List<String> options = new ArrayList<>();
        String ratio = env.getOrDefault("JAVA_MAX_MEM_RATIO", "");
        if (!ratio.equals("0")) {
            options.add("-XX:MaxRAMPercentage=" + (ratio.isEmpty() ? "80.0" : String.format("%.0f.0", Double.parseDouble(ratio))));
        }
        String gc = env.getOrDefault("GC_CONTAINER_OPTIONS", "");
        options.addAll(split(gc.isEmpty() ? "-XX:+UseParallelGC" : gc));
        options.addAll(List.of("-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:GCTimeRatio=4",
                "-XX:AdaptiveSizePolicyWeight=90", "-XX:+ExitOnOutOfMemoryError"));
        options.addAll(split(env.getOrDefault("JAVA_OPTS_APPEND", IMAGE_JAVA_OPTS_APPEND)));
        return options;
    }

    /** Runs {@code java <run-java.sh's options> -XX:+PrintFlagsFinal -version} with the pod's JAVA_TOOL_OPTIONS. */
    private Map<String, String> startJvm(Map<String, String> env, String where) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(runJavaOptions(env));
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        try {
            Path output = Files.createTempFile(dir, "jvm", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            builder.environment().remove("JDK_JAVA_OPTIONS");
            if (env.containsKey("JAVA_TOOL_OPTIONS")) {
                builder.environment().put("JAVA_TOOL_OPTIONS", env.get("JAVA_TOOL_OPTIONS"));
            }
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(where + ": the JVM did not exit within 60 s: " + command);
            }
            String text = Files.readString(output);
            assertEquals(0, process.exitValue(), where + ": the JVM did not start: " + command + "\n" + tail(text));
            Map<String, String> flags = new HashMap<>();
            Matcher flag = FLAG.matcher(text);
            while (flag.find()) {
                flags.put(flag.group(1), flag.group(2));
            }
            return flags;
        } catch (IOException e) {
            throw new AssertionError(where + ": " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(where, e);
        }
    }

    private static List<String> split(String options) {
        return Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    private static String tail(String text) {
        return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    }
}
