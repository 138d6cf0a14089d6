package org.mpool.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.PoolCounters;
import org.mpool.common.PoolStats;
import org.mpool.common.Reaper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Show a pool in detail: its state, its media classes and devices with each one's own usage, "
                + "objects and health, its metadata shards and the reaper. Usage as in 'list': USABLE is TOTAL "
                + "without the SPARE, AVAIL what objects can still take. With --stats, the counters of the process"
                + " that has the pool open (device I/O, log flush rounds, commits, compactions, the reaper...), read"
                + " from the page it publishes beside the pool's lock; once it closed the pool, its final counts."
                + " Needs no lock.",
        footer = {
            "",
            "Fields (one row per media class): mpool uuid label state class device total usable used avail capacity",
            "        spare mblocksize mblocks mlogs mdcs shards health reaperbudget reaperttl reaperperiod;",
            "        on request (-o): free (free zones, the spare included)",
            "Fields with --stats (one row per counter): counter value; on request (-o): mpool pid state",
            "",
            "Examples:",
            "  mpool show mp1",
            "  mpool show mp1 -o class,used,avail,mblocks,mlogs",
            "  mpool show 4ea3a3fb-c61c-4d05-9df3-597b03eba8c7 -Y",
            "  mpool show mp1 --stats",
            "  watch -n1 mpool show mp1 --stats -o counter,value --noheadings"
        })
final class ShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name, its UUID or one of its devices.")
    String name;

    @Option(
            names = "--stats",
            description = "The counters of the process that has the pool open for changes (or, once it closed it,"
                    + " its final counts).")
    boolean stats;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        if (stats) {
            return showStats();
        }
        Report report = new Report(List.of(
                Report.text("mpool", "MPOOL"),
                Report.text("uuid", "UUID"),
                Report.text("label", "LABEL"),
                Report.text("state", "STATE"),
                Report.text("class", "CLASS"),
                Report.text("device", "DEVICE"),
                Report.bytes("total", "TOTAL"),
                Report.bytes("usable", "USABLE"),
                Report.bytes("used", "USED"),
                Report.bytes("avail", "AVAIL"),
                Report.percent("capacity", "CAPACITY"),
                Report.bytes("spare", "SPARE"),
                Report.bytes("mblocksize", "MBLOCKSIZE"),
                Report.number("mblocks", "MBLOCKS"),
                Report.number("mlogs", "MLOGS"),
                Report.number("mdcs", "MDCS"),
                Report.number("shards", "SHARDS"),
                Report.text("health", "HEALTH"),
                Report.text("reaperbudget", "REAPERBUDGET"),
                Report.text("reaperttl", "REAPERTTL"),
                Report.text("reaperperiod", "REAPERPERIOD"),
                Report.bytes("free", "FREE").onRequest()));
        PoolLocator locator = Cli.locator();
        PoolLocator.Found found = locator.find(name);
        String state = new PoolLocator.Surveyed(found.uuid(), found.name(), found.devices(), found.entry()).state();
        String poolHealth;
        PoolStats stats;
        try (Mpool pool = locator.inspect(found)) {
            Reaper.Config reaper = pool.reaperConfig();
            stats = pool.stats();
            List<String> problems = pool.health();
            poolHealth = health(problems);
            for (Map.Entry<MediaClass, PoolStats.ClassStats> e : stats.classes().entrySet()) {
                PoolStats.ClassStats c = e.getValue();
                Path device = pool.devicePath(e.getKey());
                List<String> own = problems.stream()
                        .filter(p -> p.startsWith(device + ":"))
                        .toList();
                report.row(
                        "mpool", pool.name(),
                        "uuid", pool.uuid().toString(),
                        "label", pool.properties().get(Mpool.PROP_LABEL),
                        "state", state,
                        "class", e.getKey().label(),
                        "device", device.toString(),
                        "total", c.totalBytes(),
                        "usable", c.usableBytes(),
                        "used", c.usedBytes(),
                        "avail", c.availableBytes(),
                        "capacity", c.usableBytes() <= 0 ? 100.0 : 100.0 * c.usedBytes() / c.usableBytes(),
                        "spare", c.spareBytes(),
                        "mblocksize", c.mblockSizeBytes(),
                        "mblocks", c.mblocks(),
                        "mlogs", c.mlogs(),
                        "mdcs", c.mdcs(),
                        "shards", stats.shards(),
                        "health", health(own),
                        "reaperbudget", reaper.budgetText(),
                        "reaperttl", Units.duration(reaper.ttl()),
                        "reaperperiod", Units.duration(reaper.period()),
                        "free", c.freeBytes());
            }
        }
        if (output.format() == OutputOptions.Format.TABLE && (output.fields == null || output.fields.isEmpty())) {
            printDetail(report, stats, poolHealth);
        } else {
            report.print(System.out, output);
        }
        return 0;
    }

    /**
     * The counters published for the pool: those of the process that has it open for changes,
     * or the final ones of the last that had. The CLI's own open would count only its own reads.
     */
    private int showStats() {
        PoolLocator.Found found = Cli.locator().find(name);
        Optional<PoolCounters> published;
        try {
            published = Mpool.publishedCounters(found.uuid());
        } catch (MpoolException e) {
            if (e.code() != MpoolException.ErrorCode.CORRUPT) {
                throw e;
            }
            throw new MpoolException(
                    e.code(),
                    e.getMessage() + " (the counts are lost, the pool is not: the next process that opens it for"
                            + " changes writes a new page)",
                    e);
        }
        if (published.isEmpty()) {
            System.err.printf(
                    "mpool: show: pool %s has no counters yet: they are published by a process that opens it for"
                            + " changes on this machine%n",
                    found.name());
            return 0;
        }
        PoolCounters c = published.get();
        String state = c.live()
                ? "open"
                : c.closedMillis() > 0 ? "closed at " + Instant.ofEpochMilli(c.closedMillis()) : "ended unclosed";
        Report report = new Report(List.of(
                Report.text("mpool", "MPOOL").onRequest(),
                Report.number("pid", "PID").onRequest(),
                Report.text("state", "STATE").onRequest(),
                Report.text("counter", "COUNTER"),
                Report.number("value", "VALUE")));
        for (Map.Entry<String, Long> e : c.counters().entrySet()) {
            report.row(
                    "mpool",
                    found.name(),
                    "pid",
                    c.pid(),
                    "state",
                    state,
                    "counter",
                    e.getKey(),
                    "value",
                    e.getValue());
        }
        if (output.format() == OutputOptions.Format.TABLE && !output.noHeadings) {
            Instant opened = Instant.ofEpochMilli(c.openedMillis());
            System.out.println(
                    c.live()
                            ? "pool " + found.name() + ": counters of process " + c.pid() + ", which has it open since "
                                    + opened
                            : c.closedMillis() > 0
                                    ? "pool " + found.name() + ": final counters of process " + c.pid()
                                            + ", which had it open from " + opened + " to "
                                            + Instant.ofEpochMilli(c.closedMillis())
                                    : "pool " + found.name() + ": counters of process " + c.pid() + ", which opened it"
                                            + " at " + opened + " and ended without closing it");
            System.out.println();
        }
        report.print(System.out, output);
        return 0;
    }

    private static String health(List<String> problems) {
        return problems.isEmpty() ? "optimal" : "degraded: " + String.join("; ", problems);
    }

    /** A reaper budget as people read it: {@code 25% of RAM}, {@code 2.0 GiB}. */
    private static String budget(String text) {
        return text.endsWith("%") ? text + " of RAM" : Units.human(Long.parseLong(text));
    }

    /** The default view: one "key: value" block for the pool, then one line per media class. */
    private void printDetail(Report report, PoolStats stats, String health) {
        Map<String, Object> first = report.rows().get(0);
        System.out.printf(
                "mpool:   %s%nuuid:    %s%nlabel:   %s%nstate:   %s%nhealth:  %s%n"
                        + "objects: %d mblocks, %d mlogs, %d MDCs%n"
                        + "shards:  %s metadata shards (MDC-1..N)%nreaper:  page-cache budget %s, idle maps evicted after %s, "
                        + "checked every %s%n",
                first.get("mpool"),
                first.get("uuid"),
                first.get("label"),
                first.get("state"),
                health,
                stats.mblocks(),
                stats.mlogs(),
                stats.mdcs(),
                first.get("shards"),
                budget((String) first.get("reaperbudget")),
                first.get("reaperttl"),
                first.get("reaperperiod"));
        System.out.println();
        OutputOptions classes = new OutputOptions();
        classes.units = output.units;
        classes.noHeadings = output.noHeadings;
        classes.fields = List.of("class,device,total,used,avail,capacity,spare,mblocksize,mblocks,mlogs,mdcs");
        report.print(System.out, classes);
    }
}
