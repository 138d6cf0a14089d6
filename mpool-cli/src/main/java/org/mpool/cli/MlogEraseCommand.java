package org.mpool.cli;

import java.util.concurrent.Callable;
import org.mpool.Mlog;
import org.mpool.Mpool;
import org.mpool.common.ObjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "erase",
        mixinStandardHelpOptions = true,
        description = "Erase an mlog: empty it (a new generation starts).",
        footer = {"", "Example:", "  mpool mlog erase mp1 0x0000000000001202"})
final class MlogEraseCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String pool;

    @Parameters(index = "1", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
        try (Mpool p = Cli.open(pool);
                Mlog log = p.openMlog(Cli.objectId(id, ObjectId.Type.MLOG))) {
            log.erase();
            System.out.printf("erased %s (generation %d)%n", id, log.generation());
        }
        return 0;
    }
}
