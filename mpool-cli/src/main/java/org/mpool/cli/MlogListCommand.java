package org.mpool.cli;

import java.util.concurrent.Callable;
import org.mpool.common.ObjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List a pool's mlogs. Needs no lock.",
        footer = {
            "",
            ObjectRows.FIELDS,
            "(length: the mlog's capacity; owner: the tag it was committed with, in hex; - or null when none)",
            "",
            "Examples:",
            "  mpool mlog list mp1",
            "  mpool mlog list mp1 -o id,owner --noheadings"
        })
final class MlogListCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String pool;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        ObjectRows.list(pool, ObjectId.Type.MLOG, output);
        return 0;
    }
}
