package org.mpool.cli;

import java.util.concurrent.Callable;
import org.mpool.common.ObjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List a pool's MDCs (not the root MDC, which has no id). Needs no lock.",
        footer = {
            "",
            ObjectRows.FIELDS,
            "(length: the capacity of each of its two logs; owner: the tag it was committed with, in hex;",
            " - or null when none)",
            "",
            "Examples:",
            "  mpool mdc list mp1",
            "  mpool mdc list mp1 --json"
        })
final class MdcListCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String pool;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        ObjectRows.list(pool, ObjectId.Type.MDC, output);
        return 0;
    }
}
