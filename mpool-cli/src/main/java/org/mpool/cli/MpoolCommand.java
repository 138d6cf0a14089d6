package org.mpool.cli;

import org.mpool.MpoolException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mpool} command: entry point and error reporting shared by every subcommand. */
@Command(name = "mpool",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Manage mpool object storage pools on block devices and files.",
        subcommands = {QuickstartCommand.class, CommandLine.HelpCommand.class})
public final class MpoolCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status: 0 ok, 1 failure, 2 usage error. */
    public static int execute(String... args) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new MpoolCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String command = commandLine.getCommandName();
            if (e instanceof MpoolException me) {
                System.err.println("mpool: " + command + ": " + me.getMessage() + " [" + me.code() + "]");
                if (debug) {
                    me.printStackTrace();
                }
                return me.code().exitStatus();
            }
            System.err.println("mpool: " + command + ": internal error: " + e);
            e.printStackTrace();
            return 1;
        });
        return cli.execute(args);
    }
}
