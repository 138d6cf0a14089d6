package org.mpool.cli;

import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Create (allocate and commit) an MDC and print its id.",
        footer = {"", "Example:", "  mpool mdc create mp1 --capacity 8m --owner 0x2a"})
final class MdcCreateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name or UUID.")
    String pool;

    @Option(
            names = "--capacity",
            converter = SizeConverter.class,
            defaultValue = "1m",
            description = "Capacity of each of its two logs, rounded up to whole mblocks (default: one mblock).")
    long capacity;

    @Option(names = "--class", defaultValue = "capacity", description = "Media class: capacity or staging.")
    String mediaClass;

    @Option(names = "--owner", paramLabel = "HEX", description = "A tag to commit it with (hex; default: none).")
    String owner;

    @Override
    public Integer call() {
        long tag = owner == null ? 0 : Cli.owner(owner);
        MediaClass mc = MediaClass.parse(mediaClass);
        try (Mpool p = Cli.open(pool)) {
            Cli.requireClass(p, mc);
            ObjectId id = p.allocateMdc(mc, capacity);
            p.commit(id, tag);
            System.out.println(id);
        }
        return 0;
    }
}
