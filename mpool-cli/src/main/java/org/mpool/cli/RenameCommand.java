package org.mpool.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "rename",
        mixinStandardHelpOptions = true,
        description = "Rename a pool (blkid's LABEL follows).",
        footer = {
            "",
            "Examples:",
            "  mpool rename mp1 lsm-data",
            "  mpool rename 4ea3a3fb-c61c-4d05-9df3-597b03eba8c7 mp2"
        })
final class RenameCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool: its name, its UUID or one of its devices.")
    String oldName;

    @Parameters(index = "1", paramLabel = "NEW", description = "Its new name: 1-31 of A-Z a-z 0-9 _ . -")
    String newName;

    @Override
    public Integer call() {
        PoolLocator locator = Cli.locator();
        PoolLocator.Found found = locator.find(oldName);
        List<Registry.Entry> stale = new ArrayList<>();
        for (PoolLocator.Surveyed p : locator.survey(List.of())) {
            if (!p.name().equals(newName) || found.uuid().equals(p.uuid())) {
                continue;
            }
            if (p.devices().isEmpty()) {
                stale.add(p.entry()); // a pool of that name is gone: its entry goes with the name
            } else {
                throw new MpoolException(
                        ErrorCode.EXISTS,
                        "a pool named '" + newName + "' exists already on "
                                + p.devices().getFirst().device());
            }
        }
        Registry.Entry renamed;
        try (Mpool pool = locator.open(found)) {
            pool.rename(newName);
            renamed = PoolLocator.entry(pool, found.active());
        }
        locator.registry().update(list -> {
            list.removeAll(stale);
            if (found.entry() != null) {
                list.replaceAll(e -> e.is(found.uuid()) ? renamed : e);
            }
            return list;
        });
        System.out.printf("renamed pool %s to %s%n", found.name(), newName);
        return 0;
    }
}
