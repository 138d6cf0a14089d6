package org.mpool.cli;

import java.util.Arrays;
import org.mpool.common.MpoolException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mpool} command: entry point and error reporting shared by every subcommand. */
@Command(
        name = "mpool",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Manage mpool object storage pools on block devices and files.",
        subcommands = {
            CreateCommand.class,
            AddCommand.class,
            DestroyCommand.class,
            RenameCommand.class,
            ActivateCommand.class,
            DeactivateCommand.class,
            ScanCommand.class,
            ListCommand.class,
            GetCommand.class,
            SetCommand.class,
            ShowCommand.class,
            CheckCommand.class,
            ScrubCommand.class,
            MblockCommand.class,
            MlogCommand.class,
            MdcCommand.class,
            QuickstartCommand.class,
            CommandLine.HelpCommand.class,
            picocli.AutoComplete.GenerateCompletion.class
        },
        footer = {
            "",
            "Pools on files are remembered in a registry ($MPOOL_CONFIG, /etc/mpool/pools for root, "
                    + "else ~/.config/mpool/pools); pools on block devices are found by their superblock.",
            "Exit status: 0 success, 1 failure, 2 usage error. Add --debug for stack traces.",
            "",
            "Examples:",
            "  mpool create mp1 /var/lib/mpool/mp1.img --size 100g",
            "  mpool list",
            "  mpool show mp1",
            "  mpool quickstart"
        })
public final class MpoolCommand implements Runnable {
    @CommandLine.Option(
            names = "--debug",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean debug;

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
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new MpoolCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String command = commandLine.getCommandSpec().qualifiedName(" ").replaceFirst("^mpool ", "");
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
