package org.mpool.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.PoolStats;
import org.mpool.common.Reaper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Show a pool in detail: its media classes and devices, usage, objects, metadata shards "
                + "and health. Needs no lock.",
        footer = {
            "",
            "Fields: mpool uuid label class device total used free spare mblocksize mblocks mlogs shards health",
            "        reaperbudget reaperttl reaperperiod",
            "",
            "Examples:",
            "  mpool show mp1",
            "  mpool show mp1 -Y"
        })
final class ShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        Report report = new Report(List.of(
                Report.text("mpool", "MPOOL"),
                Report.text("uuid", "UUID"),
                Report.text("label", "LABEL"),
                Report.text("class", "CLASS"),
                Report.text("device", "DEVICE"),
                Report.bytes("total", "TOTAL"),
                Report.bytes("used", "USED"),
                Report.bytes("free", "FREE"),
                Report.bytes("spare", "SPARE"),
                Report.bytes("mblocksize", "MBLOCKSIZE"),
                Report.number("mblocks", "MBLOCKS"),
                Report.number("mlogs", "MLOGS"),
                Report.number("shards", "SHARDS"),
                Report.text("health", "HEALTH"),
                Report.text("reaperbudget", "REAPERBUDGET"),
                Report.text("reaperttl", "REAPERTTL"),
                Report.text("reaperperiod", "REAPERPERIOD")));
        try (Mpool pool = Cli.inspect(name)) {
            Reaper.Config reaper = pool.reaperConfig();
            PoolStats stats = pool.stats();
            List<String> problems = pool.health();
            String health = problems.isEmpty() ? "optimal" : "degraded: " + String.join("; ", problems);
            for (Map.Entry<MediaClass, PoolStats.ClassStats> e : stats.classes().entrySet()) {
                PoolStats.ClassStats c = e.getValue();
                report.row(
                        "mpool",
                        pool.name(),
                        "uuid",
                        pool.uuid().toString(),
                        "label",
                        pool.properties().get(Mpool.PROP_LABEL),
                        "class",
                        e.getKey().label(),
                        "device",
                        pool.devicePath(e.getKey()).toString(),
                        "total",
                        c.totalBytes(),
                        "used",
                        c.usedBytes(),
                        "free",
                        c.freeBytes(),
                        "spare",
                        c.spareBytes(),
                        "mblocksize",
                        c.mblockSizeBytes(),
                        "mblocks",
                        stats.mblocks(),
                        "mlogs",
                        stats.mlogs(),
                        "shards",
                        stats.shards(),
                        "health",
                        health,
                        "reaperbudget",
                        reaper.budgetText(),
                        "reaperttl",
                        Units.duration(reaper.ttl()),
                        "reaperperiod",
                        Units.duration(reaper.period()));
            }
        }
        if (output.format() == OutputOptions.Format.TABLE && (output.fields == null || output.fields.isEmpty())) {
            printDetail(report);
        } else {
            report.print(System.out, output);
        }
        return 0;
    }

    /** The default view: one "key: value" block, then one line per media class. */
    private void printDetail(Report report) {
        Map<String, Object> first = report.rows().get(0);
        System.out.printf(
                "mpool:   %s%nuuid:    %s%nlabel:   %s%nhealth:  %s%nobjects: %s mblocks, %s mlogs%n"
                        + "shards:  %s metadata shards (MDC-1..N)%nreaper:  page-cache budget %s, idle maps evicted after %s, "
                        + "checked every %s%n",
                first.get("mpool"),
                first.get("uuid"),
                first.get("label"),
                first.get("health"),
                first.get("mblocks"),
                first.get("mlogs"),
                first.get("shards"),
                first.get("reaperbudget"),
                first.get("reaperttl"),
                first.get("reaperperiod"));
        Report classes = new Report(List.of(
                Report.text("class", "CLASS"),
                Report.text("device", "DEVICE"),
                Report.bytes("total", "TOTAL"),
                Report.bytes("used", "USED"),
                Report.bytes("free", "FREE"),
                Report.bytes("spare", "SPARE"),
                Report.bytes("mblocksize", "MBLOCKSIZE")));
        for (Map<String, Object> r : report.rows()) {
            classes.row(
                    "class",
                    r.get("class"),
                    "device",
                    r.get("device"),
                    "total",
                    r.get("total"),
                    "used",
                    r.get("used"),
                    "free",
                    r.get("free"),
                    "spare",
                    r.get("spare"),
                    "mblocksize",
                    r.get("mblocksize"));
        }
        System.out.println();
        classes.print(System.out, output);
    }
}
