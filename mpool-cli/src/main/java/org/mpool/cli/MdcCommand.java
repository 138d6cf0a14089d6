package org.mpool.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "mdc",
        mixinStandardHelpOptions = true,
        description = "Create, append to, read, compact, list and delete MDCs (metadata containers: record "
                + "logs that compact), for scripting and debugging. Where an id is taken, the word root "
                + "selects the pool's root MDC.",
        subcommands = {
            MdcCreateCommand.class,
            MdcAppendCommand.class,
            MdcCatCommand.class,
            MdcCompactCommand.class,
            MdcListCommand.class,
            MdcRmCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  id=$(mpool mdc create mp1 --capacity 8m)",
            "  echo hello | mpool mdc append mp1 $id",
            "  mpool mdc cat mp1 $id",
            "  mpool mdc compact mp1 $id",
            "  mpool mdc cat mp1 root",
            "  mpool mdc list mp1"
        })
final class MdcCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
