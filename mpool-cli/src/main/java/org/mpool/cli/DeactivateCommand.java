package org.mpool.cli;

import java.util.concurrent.Callable;
import org.mpool.Mpool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "deactivate",
        mixinStandardHelpOptions = true,
        description = "Mark a pool cleanly closed: flush and close it (fails if another process has it open).",
        footer = {"", "Example:", "  mpool deactivate mp1"})
final class DeactivateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        try (Mpool pool = Cli.open(name)) {
            pool.stats(); // opened and recovered; close marks it clean
        }
        System.out.printf("deactivated pool %s (closed cleanly)%n", name);
        return 0;
    }
}
