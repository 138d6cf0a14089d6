package org.mpool.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "mblock",
        mixinStandardHelpOptions = true,
        description = "Write, read, list, inspect and delete mblocks (for scripting and debugging).",
        subcommands = {
            MblockPutCommand.class,
            MblockGetCommand.class,
            MblockListCommand.class,
            MblockStatCommand.class,
            MblockRmCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  id=$(mpool mblock put mp1 data.sst)",
            "  mpool mblock get mp1 $id > copy.sst",
            "  mpool mblock list mp1",
            "  mpool mblock rm mp1 $id"
        })
final class MblockCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
