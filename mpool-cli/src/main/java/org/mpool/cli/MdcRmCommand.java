package org.mpool.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.mpool.common.ObjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "rm",
        mixinStandardHelpOptions = true,
        description = "Delete MDCs. Every id is checked first: one that is not a committed MDC deletes nothing. "
                + "The root MDC cannot be deleted.",
        footer = {"", "Example:", "  mpool mdc rm mp1 0x0000000000001301"})
final class MdcRmCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String pool;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "ID")
    List<String> ids;

    @Override
    public Integer call() {
        Cli.delete(pool, ids, ObjectId.Type.MDC);
        return 0;
    }
}
