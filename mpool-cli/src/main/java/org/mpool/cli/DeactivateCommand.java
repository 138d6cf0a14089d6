package org.mpool.cli;

import java.util.concurrent.Callable;
import org.mpool.Mpool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "deactivate",
        mixinStandardHelpOptions = true,
        description = "Mark a pool inactive: flush and close it cleanly (fails with LOCKED, naming the process, "
                + "while another process has it open). An inactive pool can still be inspected; changing it "
                + "needs 'mpool activate' again.",
        footer = {"", "Example:", "  mpool deactivate mp1"})
final class DeactivateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name, its UUID or one of its devices.")
    String name;

    @Override
    public Integer call() {
        PoolLocator locator = Cli.locator();
        System.out.println(deactivate(locator, locator.find(name)));
        return 0;
    }

    /** Deactivates a pool found and says what was done. */
    static String deactivate(PoolLocator locator, PoolLocator.Found found) {
        Registry.Entry inactive;
        try (Mpool pool = locator.open(found)) {
            pool.flush();
            inactive = PoolLocator.entry(pool, false);
        }
        locator.registry().put(inactive); // once it is closed cleanly
        return "deactivated pool " + found.name() + " (closed cleanly)";
    }
}
