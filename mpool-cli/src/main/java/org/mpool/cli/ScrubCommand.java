package org.mpool.cli;

import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.CheckReport;
import org.mpool.common.MpoolException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "scrub",
        mixinStandardHelpOptions = true,
        description = "Read every object of a pool and verify it against its checksums (mblock data page by page, "
                + "log records), at a bounded rate so the pool stays usable. Takes no lock and writes nothing: "
                + "runs beside the process that has the pool open. Exit status 1 when it finds damage.",
        footer = {
            "",
            "Examples:",
            "  mpool scrub mp1                 # at 100 MB/s",
            "  mpool scrub mp1 --rate 0        # as fast as the devices go",
            "  mpool scrub mp1 --rate 20       # a busy pool"
        })
final class ScrubCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
            names = "--rate",
            paramLabel = "MB/s",
            defaultValue = "100",
            description = "Most megabytes (10^6 bytes) of object data read per second, on average; 0: no limit "
                    + "(default: ${DEFAULT-VALUE}).")
    long rateMegabytes;

    @Override
    public Integer call() {
        if (rateMegabytes < 0 || rateMegabytes > Long.MAX_VALUE / 1_000_000) {
            throw MpoolException.invalid(
                    "--rate must be 0 (no limit) or a positive number of MB/s, got " + rateMegabytes);
        }
        CheckReport report;
        try (Mpool pool = Cli.inspect(name)) {
            report = pool.scrub(rateMegabytes * 1_000_000, new Progress("scrub " + name)::update);
        }
        for (String p : report.problems()) {
            System.out.println("problem: " + p);
        }
        System.out.printf(
                "%s: %s; %d objects, %s of data verified%n",
                name,
                report.healthy() ? "no damage found" : report.problems().size() + " problem(s) found",
                report.objectsChecked(),
                Units.human(report.bytesChecked()));
        return report.healthy() ? 0 : 1;
    }
}
