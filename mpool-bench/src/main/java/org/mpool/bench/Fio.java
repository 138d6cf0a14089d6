package org.mpool.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs fio on a file and reads its JSON report. */
final class Fio {
    /** What one fio job did. Latencies in microseconds; sync latencies are per fdatasync. */
    record Run(double iops, double bytesPerSecond, double clatP50, double clatP99, double syncP50, double syncP99) {
        /** p99 of write + fdatasync, bounded above by the sum of the two p99s (fio reports them apart). */
        double writeSyncP99() {
            return clatP99 + syncP99;
        }
    }

    private static Boolean available;

    static boolean available() {
        if (available == null) {
            try {
                available = new ProcessBuilder("fio", "--version")
                                .redirectErrorStream(true)
                                .start()
                                .waitFor()
                        == 0;
            } catch (IOException | InterruptedException e) {
                available = false;
            }
        }
        return available;
    }

    /**
     * Whether fio can take huge-page buffers ({@code --mem=shmhuge}): that needs free reserved
     * huge pages (HugePages_Free in /proc/meminfo), which {@code ./bench --hugepages} sets aside
     * for the run as root. Transparent huge pages (what mpool's buffers use) do not count.
     */
    static boolean hugeBuffers() {
        if (!available()) {
            return false;
        }
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
                if (line.startsWith("HugePages_Free:")) {
                    return Long.parseLong(
                                    line.substring("HugePages_Free:".length()).trim())
                            > 0;
                }
            }
            return false;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** Runs fio with {@code options} (without --name/--output-format) on {@code file} for {@code seconds}. */
    static Run run(Path file, long sizeBytes, int seconds, String... options) {
        List<String> cmd = new ArrayList<>(List.of(
                "fio",
                "--name=baseline",
                "--filename=" + file,
                "--size=" + sizeBytes,
                "--ioengine=psync",
                "--direct=1",
                "--time_based",
                "--runtime=" + seconds,
                "--group_reporting",
                "--output-format=json"));
        cmd.addAll(List.of(options));
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            JsonNode root = new ObjectMapper().readTree(p.getInputStream());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("fio failed: " + String.join(" ", cmd));
            }
            JsonNode job = root.get("jobs").get(0);
            JsonNode io = job.get("write").get("io_bytes").asLong() > 0 ? job.get("write") : job.get("read");
            JsonNode sync = job.path("sync").path("lat_ns").path("percentile");
            return new Run(
                    io.get("iops").asDouble(),
                    io.get("bw_bytes").asDouble(),
                    pct(io.get("clat_ns").get("percentile"), "50.000000"),
                    pct(io.get("clat_ns").get("percentile"), "99.000000"),
                    pct(sync, "50.000000"),
                    pct(sync, "99.000000"));
        } catch (IOException e) {
            throw new IllegalStateException("fio: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double pct(JsonNode percentiles, String key) {
        JsonNode n = percentiles == null ? null : percentiles.get(key);
        return n == null || n.isMissingNode() ? 0 : n.asDouble() / 1000.0;
    }
}
