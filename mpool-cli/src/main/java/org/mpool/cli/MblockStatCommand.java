package org.mpool.cli;

import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.ObjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "stat",
        mixinStandardHelpOptions = true,
        description = "Show what the catalog knows of an object (mblock, mlog or MDC). Needs no lock.",
        footer = {"", ObjectRows.FIELDS, "", "Example:", "  mpool mblock stat mp1 0x0000000000001101"})
final class MblockStatCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String pool;

    @Parameters(index = "1", paramLabel = "ID")
    String id;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        Report report = ObjectRows.report();
        try (Mpool p = Cli.inspect(pool)) {
            ObjectRows.add(report, p.info(ObjectId.parse(id)));
        }
        report.print(System.out, output);
        return 0;
    }
}
