package io.tether.bench.measure;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Asks a service JVM for a full GC (jcmd GC.run) so that RSS reflects live data, not garbage not yet collected. */
public final class Jvm {
    private Jvm() {
    }

    public static void gc(long pid) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(pid), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (Exception e) {
            System.err.println("bench: jcmd " + pid + " GC.run failed: " + e);
        }
    }
}
