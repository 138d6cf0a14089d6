package org.mpool.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MpoolException;
import org.mpool.common.PoolStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List pools with their usage (all known pools, or those named) and state. Sizes leave out "
                + "the spare, as the reference mpool does: AVAIL is what objects can still take and CAPACITY is "
                + "USED of the usable space (TOTAL minus the spare). Needs no lock. Exit status 1 if a pool named "
                + "is not found (the others are listed).",
        footer = {
            "",
            "Fields: mpool total used avail capacity label health state; on request (-o): uuid usable spare",
            "",
            "Examples:",
            "  mpool list",
            "  mpool list mp1 -o mpool,avail --units g --noheadings",
            "  mpool list --json"
        })
final class ListCommand implements Callable<Integer> {
    @Parameters(paramLabel = "POOL", arity = "0..*", description = "Pools by name or UUID (default: all).")
    List<String> names = new ArrayList<>();

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        PoolLocator locator = Cli.locator();
        List<PoolLocator.Surveyed> pools = new ArrayList<>();
        int missing = 0;
        if (names.isEmpty()) {
            pools.addAll(locator.survey(List.of()));
        } else {
            for (String n : names) {
                try {
                    PoolLocator.Found f = locator.find(n);
                    pools.add(new PoolLocator.Surveyed(f.uuid(), f.name(), f.devices(), f.entry()));
                } catch (MpoolException e) {
                    System.err.println("mpool: list: " + e.getMessage() + " [" + e.code() + "]");
                    missing++;
                }
            }
        }
        Report report = report();
        for (PoolLocator.Surveyed p : pools) {
            report.row(row(locator, p));
        }
        report.print(System.out, output);
        return missing == 0 ? 0 : 1;
    }

    static Report report() {
        return new Report(List.of(
                Report.text("mpool", "MPOOL"),
                Report.bytes("total", "TOTAL"),
                Report.bytes("used", "USED"),
                Report.bytes("avail", "AVAIL"),
                Report.percent("capacity", "CAPACITY"),
                Report.text("label", "LABEL"),
                Report.text("health", "HEALTH"),
                Report.text("state", "STATE"),
                Report.text("uuid", "UUID").onRequest(),
                Report.bytes("usable", "USABLE").onRequest(),
                Report.bytes("spare", "SPARE").onRequest()));
    }

    /**
     * One pool's row. Usable space is the total without the spare (kept for metadata), and
     * capacity is used over usable, as the reference's {@code mpool list} reports them.
     */
    static Object[] row(PoolLocator locator, PoolLocator.Surveyed p) {
        String uuid = p.uuid() == null ? null : p.uuid().toString();
        if (p.devices().isEmpty()) {
            return unavailable(p.name(), uuid, "missing", "missing");
        }
        String state = p.state();
        if (p.found().capacity() == null) {
            return unavailable(p.name(), uuid, "incomplete", state);
        }
        try (Mpool pool = locator.inspect(p.found())) {
            long total = 0;
            long used = 0;
            long avail = 0;
            long spare = 0;
            for (PoolStats.ClassStats c : pool.stats().classes().values()) {
                total += c.totalBytes();
                used += c.usedBytes();
                avail += c.availableBytes();
                spare += c.spareBytes();
            }
            long usable = total - spare;
            return new Object[] {
                "mpool", pool.name(),
                "total", total,
                "used", used,
                "avail", avail,
                "capacity", usable <= 0 ? 100.0 : 100.0 * used / usable,
                "label", pool.properties().get(Mpool.PROP_LABEL),
                "health", pool.health().isEmpty() ? "optimal" : "degraded",
                "state", state,
                "uuid", uuid,
                "usable", usable,
                "spare", spare
            };
        } catch (MpoolException e) {
            System.err.println("mpool: list: warning: " + e.getMessage() + " [" + e.code() + "]");
            return unavailable(p.name(), uuid, "unavailable (" + e.code() + ")", state);
        }
    }

    private static Object[] unavailable(String name, String uuid, String health, String state) {
        return new Object[] {
            "mpool", name,
            "total", null,
            "used", null,
            "avail", null,
            "capacity", null,
            "label", null,
            "health", health,
            "state", state,
            "uuid", uuid,
            "usable", null,
            "spare", null
        };
    }
}
