package org.mpool.cli;

import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.CheckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Verify a pool: superblocks, metadata logs, zone ownership, every mblock's data against its "
                + "checksum and every mlog's records. Exit status 1 when it finds problems.",
        footer = {
            "",
            "Examples:",
            "  mpool check mp1",
            "  mpool check mp1 --read-only   # while another process uses it"
        })
final class CheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name, its UUID or one of its devices.")
    String name;

    @Option(names = "--read-only", description = "Take no lock and write nothing (recovery is not run).")
    boolean readOnly;

    @Override
    public Integer call() {
        CheckReport report;
        PoolLocator locator = Cli.locator();
        PoolLocator.Found found = locator.find(name);
        try (Mpool pool = readOnly ? locator.inspect(found) : locator.open(found)) {
            report = pool.check(new Progress("check " + name)::update);
        }
        for (String p : report.problems()) {
            System.out.println("problem: " + p);
        }
        System.out.printf(
                "%s: %s; %d objects, %s of data verified%n",
                found.name(),
                report.healthy() ? "no problems found" : report.problems().size() + " problem(s) found",
                report.objectsChecked(),
                Units.human(report.bytesChecked()));
        return report.healthy() ? 0 : 1;
    }
}
