package org.mpool.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.PoolStats;
import org.mpool.spi.BlockDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List pools with their usage (all known pools, or the named ones). Needs no lock.",
        footer = {
            "",
            "Fields: mpool total used avail capacity label health",
            "",
            "Examples:",
            "  mpool list",
            "  mpool list mp1 -o mpool,avail --units g --noheadings",
            "  mpool list --json"
        })
final class ListCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", arity = "0..*")
    List<String> names = new ArrayList<>();

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        PoolLocator locator = Cli.locator();
        Map<String, Path> pools = new LinkedHashMap<>();
        if (names.isEmpty()) {
            for (BlockDevice.Label f : locator.scan(List.of())) {
                if (f.mediaClass() == MediaClass.CAPACITY) {
                    pools.putIfAbsent(f.poolName(), f.device());
                }
            }
            locator.registered().forEach((n, p) -> pools.putIfAbsent(n, p));
        } else {
            for (String n : names) {
                pools.put(n, locator.capacityDevice(n));
            }
        }
        Report report = new Report(List.of(
                Report.text("mpool", "MPOOL"),
                Report.bytes("total", "TOTAL"),
                Report.bytes("used", "USED"),
                Report.bytes("avail", "AVAIL"),
                Report.percent("capacity", "CAPACITY"),
                Report.text("label", "LABEL"),
                Report.text("health", "HEALTH")));
        pools.forEach((name, device) -> report.row(row(name, device)));
        report.print(System.out, output);
        return 0;
    }

    static Object[] row(String name, Path device) {
        try (Mpool pool = Mpool.openReadOnly(device)) {
            long total = 0;
            long used = 0;
            for (PoolStats.ClassStats c : pool.stats().classes().values()) {
                total += c.totalBytes();
                used += c.usedBytes();
            }
            String health = pool.health().isEmpty() ? "optimal" : "degraded";
            return new Object[] {
                "mpool",
                name,
                "total",
                total,
                "used",
                used,
                "avail",
                total - used,
                "capacity",
                total == 0 ? 0.0 : 100.0 * used / total,
                "label",
                pool.properties().get(Mpool.PROP_LABEL),
                "health",
                health
            };
        } catch (MpoolException e) {
            return new Object[] {
                "mpool",
                name,
                "total",
                null,
                "used",
                null,
                "avail",
                null,
                "capacity",
                null,
                "label",
                null,
                "health",
                "unavailable (" + e.code() + ")"
            };
        }
    }
}
