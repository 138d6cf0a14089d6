package org.mpool.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.mpool.common.ObjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "rm",
        mixinStandardHelpOptions = true,
        description = "Delete mblocks. Every id is checked first: one that is not a committed mblock deletes nothing.",
        footer = {"", "Example:", "  mpool mblock rm mp1 0x0000000000001101 0x0000000000002102"})
final class MblockRmCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String pool;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "ID")
    List<String> ids;

    @Override
    public Integer call() {
        Cli.delete(pool, ids, ObjectId.Type.MBLOCK);
        return 0;
    }
}
