package org.mpool.cli;

import java.util.concurrent.Callable;
import org.mpool.common.ObjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List a pool's mblocks. Needs no lock.",
        footer = {
            "",
            ObjectRows.FIELDS,
            "(owner: the tag the mblock was committed with, in hex; - or null when none)",
            "",
            "Example:",
            "  mpool mblock list mp1 --json"
        })
final class MblockListCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String pool;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        ObjectRows.list(pool, ObjectId.Type.MBLOCK, output);
        return 0;
    }
}
