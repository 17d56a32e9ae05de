package io.tether.chaos.fuzz;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.chaos.report.Tally;
import io.tether.chaos.traffic.Rest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a fuzz run as {@code report.md} and {@code results.json}. */
public final class FuzzReport {
    private FuzzReport() {
    }

    public static void write(FuzzResult result, Path out, String command) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("report.md"), markdown(result, command), StandardCharsets.UTF_8);
        ObjectNode json = Rest.JSON.valueToTree(result);
        json.put("passed", result.passed());
        Files.writeString(out.resolve("results.json"),
                Rest.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json), StandardCharsets.UTF_8);
    }

    static String markdown(FuzzResult r, String command) {
        StringBuilder md = new StringBuilder();
        Tally down = r.downstream();
        md.append("# MQTT fuzz run: ").append(r.mode()).append("\n\n`").append(command).append("`: ")
                .append(String.format(Locale.ROOT, "%.0f s", r.seconds())).append(" against one gateway-mqtt. Verdict: **")
                .append(r.passed() ? "PASS" : "FAIL").append("**.\n\n");
        md.append("| | before | peak | after |\n|---|---:|---:|---:|\n");
        md.append("| gateway process | running | | ").append(r.alive() ? "running" : "**gone (crashed)**").append(" |\n");
        md.append("| `tether_gateway_connections` | ").append(r.before().connections()).append(" | ").append(r.peakConnections())
                .append(" | ").append(r.after().connections()).append(" |\n");
        md.append("| open file descriptors | ").append(r.before().fileDescriptors()).append(" | ").append(r.peakFileDescriptors())
                .append(" | ").append(r.after().fileDescriptors()).append(" |\n");
        md.append("| devices it claims in Redis (`tether:{gw:<id>}:devices`) | ").append(r.before().claimedDevices())
                .append(" | | ").append(r.after().claimedDevices()).append(" |\n");
        md.append("| heap used after `jcmd GC.run` (KiB) | ").append(r.before().heapUsedKib()).append(" | | ")
                .append(r.after().heapUsedKib()).append(" |\n");
        md.append("| RSS (KiB) | ").append(r.before().rssKib()).append(" | | ").append(r.after().rssKib()).append(" |\n\n");
        md.append("Good clients (Paho, MQTT 5 and 3.1.1): ").append(r.goodAcked()).append(" QoS 1 PUBLISHes acknowledged, ")
                .append(r.goodFailed()).append(" failed; downstream by REST: ").append(down.accepted()).append(" accepted, ")
                .append(down.lost()).append(" lost, ").append(down.duplicates()).append(" duplicated.\n\n");
        md.append("What the fuzzer sent:\n\n| what | count |\n|---|---:|\n");
        r.counts().forEach((key, value) -> md.append("| ").append(key).append(" | ").append(value).append(" |\n"));
        md.append("\nPasses when the gateway is still running, its connections (metric and devices claimed in Redis) are back to the baseline (file descriptors within ")
                .append(FuzzResult.FD_SLACK).append(") and every good client's publish and message went through.\n");
        if (!r.logFindings().isEmpty()) {
            md.append("\nWarnings and errors the gateway logged:\n\n");
            for (Map.Entry<String, List<String>> log : r.logFindings().entrySet()) {
                md.append("- ").append(log.getKey()).append(":\n");
                log.getValue().forEach(line -> md.append("  - `").append(line.replace('`', '\'')).append("`\n"));
            }
        }
        return md.toString();
    }
}
