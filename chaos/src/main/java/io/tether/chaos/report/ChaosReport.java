package io.tether.chaos.report;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tether.chaos.traffic.Ledger;
import io.tether.chaos.traffic.Rest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a chaos run as {@code report.md} (the table, then what went wrong) and {@code results.json}. */
public final class ChaosReport {
    private static final int LOST_LISTED = 200;
    private ChaosReport() {
    }

    public static void write(ChaosResult result, Path out, String command) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("report.md"), markdown(result, command), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("results.json"),
                Rest.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json(result)), StandardCharsets.UTF_8);
    }

    static String markdown(ChaosResult result, String command) {
        StringBuilder md = new StringBuilder();
        md.append("# Chaos run: ").append(result.mode()).append(" mode, ").append(Instant.ofEpochMilli(result.started())).append("\n\n");
        md.append("`").append(command).append("`: ").append(result.liveDevices()).append(" live devices (Paho, MQTT 5 and 3.1.1, ")
                .append("spread over two gateways), ").append(result.suspendedDevices()).append(" suspended (half deaf, half gone; ")
                .append("push tokens), ").append(result.ratePerSecond()).append(" messages/s by REST, ")
                .append(String.format(Locale.ROOT, "%.0f s", (result.ended() - result.started()) / 1000.0)).append(" in all. ")
                .append("Verdict: **").append(result.passed() ? "PASS" : "FAIL").append("** (").append(result.lost())
                .append(" lost of ").append(result.sent()).append(" sent).\n\n");
        md.append("| component | fault | sent | 202 | refused | unknown (arrived) | lost | dup | reordered | recovery s | pushed (suspended) | verdict |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (PhaseResult phase : result.phases()) {
            Tally t = phase.tally();
            md.append("| ").append(phase.target()).append(" | ").append(phase.fault().kind().description())
                    .append(" | ").append(t.sent()).append(" | ").append(t.accepted()).append(" | ").append(t.refused())
                    .append(" | ").append(t.unknown()).append(" (").append(t.unknownArrived()).append(")")
                    .append(" | ").append(t.lost()).append(" | ").append(t.duplicates()).append(" | ").append(t.reordered())
                    .append(" | ").append(t.recoverySeconds() == null ? "never" : String.format(Locale.ROOT, "%.1f", t.recoverySeconds()))
                    .append(" | ").append(phase.suspendedPushed()).append(" / ").append(phase.suspendedAccepted())
                    .append(" | ").append(phase.passed() ? "ok" : "**FAIL**").append(" |\n");
        }
        md.append("""

                How to read it: each row is one phase, counting the messages *sent* during it (warm-up, fault, %s after the
                fault ended). **lost**: answered 202, never received by the device, live or from its inbox when it came back at
                the end of the phase (and again at the end of the run). **refused**: an error answer (not owed). **unknown**: no
                answer (timeout, broken connection); "arrived" counts those the device got anyway. **dup**: copies beyond the
                first. **reordered**: first copies that came after a later message to the same device. **recovery**: from the
                end of the fault (restarted and ready, or SIGCONT) until every live device had received a message sent after
                it; "never" when one did not. **pushed**: of the 202s for suspended devices (each with a push alert), how many
                the local APNs accepted. A row passes with 0 lost and recovery ≤ %.0f s.
                """.formatted("the observation window", PhaseResult.RECOVERY_LIMIT_SECONDS));
        for (PhaseResult phase : result.phases()) {
            if (phase.passed() && phase.logFindings().isEmpty()) {
                continue;
            }
            md.append("\n## ").append(phase.index() + 1).append(". ").append(phase.target()).append(": ")
                    .append(phase.fault().kind().description()).append("\n\n");
            md.append(String.format(Locale.ROOT, "Fault at +%.1f s, over at +%.1f s (phase start = 0).%n",
                    (phase.faultStart() - phase.started()) / 1000.0, (phase.faultEnd() - phase.started()) / 1000.0));
            if (!phase.lostStatus().isEmpty()) {
                md.append("\nLost messages (first ").append(phase.lostStatus().size()).append(", with their status):\n\n");
                phase.lostStatus().forEach(line -> md.append("- `").append(line).append("`\n"));
            }
            if (!phase.logFindings().isEmpty()) {
                md.append("\nWarnings and errors logged during the phase:\n\n");
                for (Map.Entry<String, List<String>> log : phase.logFindings().entrySet()) {
                    md.append("- ").append(log.getKey()).append(":\n");
                    log.getValue().forEach(line -> md.append("  - `").append(line.replace('`', '\'')).append("`\n"));
                }
            }
        }
        return md.toString();
    }

    static ObjectNode json(ChaosResult result) {
        ObjectNode root = Rest.JSON.createObjectNode();
        root.put("mode", result.mode());
        root.put("started", Instant.ofEpochMilli(result.started()).toString());
        root.put("ended", Instant.ofEpochMilli(result.ended()).toString());
        root.put("liveDevices", result.liveDevices());
        root.put("suspendedDevices", result.suspendedDevices());
        root.put("ratePerSecond", result.ratePerSecond());
        root.put("skippedWhileDeviceBusy", result.skippedBusy());
        root.put("passed", result.passed());
        ArrayNode phases = root.putArray("phases");
        for (PhaseResult phase : result.phases()) {
            ObjectNode node = phases.addObject();
            Tally t = phase.tally();
            node.put("component", phase.fault().component().label());
            node.put("fault", phase.fault().kind().name().toLowerCase(Locale.ROOT));
            node.put("target", phase.target());
            node.put("faultSeconds", (phase.faultEnd() - phase.faultStart()) / 1000.0);
            node.put("sent", t.sent());
            node.put("accepted", t.accepted());
            node.put("refused", t.refused());
            node.put("refusedButArrived", t.refusedArrived());
            node.put("unknown", t.unknown());
            node.put("unknownArrived", t.unknownArrived());
            node.put("lost", t.lost());
            node.put("duplicates", t.duplicates());
            node.put("reordered", t.reordered());
            if (t.recoverySeconds() == null) {
                node.putNull("recoverySeconds");
            } else {
                node.put("recoverySeconds", t.recoverySeconds());
            }
            node.put("suspendedAccepted", phase.suspendedAccepted());
            node.put("suspendedPushed", phase.suspendedPushed());
            node.put("passed", phase.passed());
            ArrayNode lost = node.putArray("lostMessages"); // the first LOST_LISTED: enough to look into, small enough to commit
            for (Ledger.Sent message : t.lostMessages().stream().limit(LOST_LISTED).toList()) {
                lost.addObject().put("device", message.device).put("seq", message.seq).put("messageId", message.messageId())
                        .put("sentAt", Instant.ofEpochMilli(message.sentAt).toString());
            }
            node.set("lostStatus", Rest.JSON.valueToTree(phase.lostStatus()));
            node.set("logFindings", Rest.JSON.valueToTree(phase.logFindings()));
        }
        return root;
    }
}
