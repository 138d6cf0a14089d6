package org.mpool.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "mlog",
        mixinStandardHelpOptions = true,
        description = "Create, append to, read, erase, list and delete mlogs (for scripting and debugging).",
        subcommands = {
            MlogCreateCommand.class,
            MlogAppendCommand.class,
            MlogCatCommand.class,
            MlogEraseCommand.class,
            MlogListCommand.class,
            MlogRmCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  id=$(mpool mlog create mp1 --capacity 64m)",
            "  echo hello | mpool mlog append mp1 $id",
            "  mpool mlog cat mp1 $id",
            "  mpool mlog erase mp1 $id",
            "  mpool mlog list mp1"
        })
final class MlogCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
