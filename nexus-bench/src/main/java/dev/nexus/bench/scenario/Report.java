package dev.nexus.bench.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.protocol.WireJson;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * What a scenario run produced: lines for a person, and the one-line JSON summary every run ends with
 * ({@code {"scenario":…, <parameters>, "nexus":{…}, "peer":{"system":…,…}, "ratio":…}}).
 */
public record Report(String text, ObjectNode summary) {

    /** The summary as one line of JSON. */
    public String jsonLine() {
        return summary.toString();
    }

    /** A new summary object for {@code scenario}. */
    static ObjectNode summary(String scenario) {
        return WireJson.mapper().createObjectNode().put("scenario", scenario);
    }

    /** {@code value} to 4 significant digits (ratios span orders of magnitude). */
    static double significant(double value) {
        return new java.math.BigDecimal(value).round(new java.math.MathContext(4)).doubleValue();
    }

    /** A new object for one system's figures. */
    static ObjectNode figures() {
        return WireJson.mapper().createObjectNode();
    }

    /** {@code value} rounded to {@code decimals} places, for the summary. */
    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /**
     * A side-by-side table of the numeric fields of {@code nexus} and, when present, {@code peer}, in the order of
     * {@code nexus}'s fields, plus the ratio line when there is one.
     */
    static String sideBySide(String title, ObjectNode nexus, ObjectNode peer, String ratioOf, Double ratio) {
        StringBuilder out = new StringBuilder(title).append('\n');
        String peerName = peer == null ? null : peer.path("system").asText();
        out.append(String.format(Locale.ROOT, "  %-26s %16s%s%n", "", "nexus", peer == null ? "" : String.format(Locale.ROOT, " %16s", peerName)));
        for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = nexus.fields(); it.hasNext(); ) {
            Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> field = it.next();
            if (!field.getValue().isNumber()) {
                continue;
            }
            String peerValue = peer == null ? "" : String.format(Locale.ROOT, " %16s", peer.has(field.getKey()) ? peer.get(field.getKey()).asText() : "-");
            out.append(String.format(Locale.ROOT, "  %-26s %16s%s%n", field.getKey(), field.getValue().asText(), peerValue));
        }
        if (ratio != null) {
            out.append(String.format(Locale.ROOT, "  ratio nexus/%s of %s: %s%n", peerName, ratioOf, ratio));
        }
        return out.toString().stripTrailing();
    }

    /** Adds the peer's figures and {@code nexus[ratioOf] / peer[ratioOf]} to {@code summary}; returns the ratio. */
    static Double compare(ObjectNode summary, ObjectNode nexus, ObjectNode peer, String ratioOf) {
        summary.set("nexus", nexus);
        if (peer == null) {
            return null;
        }
        summary.set("peer", peer);
        double peerValue = peer.path(ratioOf).asDouble();
        Double ratio = peerValue == 0 || nexus.path(ratioOf).asDouble() == 0 ? null : significant(nexus.path(ratioOf).asDouble() / peerValue);
        if (ratio == null) {
            summary.putNull("ratio");
        } else {
            summary.put("ratio", ratio);
        }
        summary.put("ratio_of", ratioOf);
        return ratio;
    }

    /** Puts how long the started server took to answer {@code /health}, when the bench started it. */
    static void putStart(ObjectNode figures, dev.nexus.bench.target.NexusTarget target) {
        target.process().ifPresent(server -> figures.put("server_start_ms", server.startMillis()));
    }

    /** Puts the CPU figures of a measured interval into {@code figures}. */
    static void putCpu(ObjectNode figures, dev.nexus.bench.target.CpuMeter.Usage cpu) {
        figures.put("bench_cpu_pct", round(cpu.benchPercent(), 1));
        if (cpu.serverPercent() != null) {
            figures.put("server_cpu_pct", round(cpu.serverPercent(), 1));
        }
    }
}
