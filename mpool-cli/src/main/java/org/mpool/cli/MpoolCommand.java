package org.mpool.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
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
            GrowCommand.class,
            DestroyCommand.class,
            WipeCommand.class,
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
            "Pools are named by name or UUID. The registry ($MPOOL_CONFIG, /etc/mpool/pools for root, else "
                    + "~/.config/mpool/pools) remembers where each pool's devices were and whether it is active; "
                    + "devices that moved are found again by their UUIDs on block devices and the paths given to "
                    + "scan or activate --search.",
            "Exit status: 0 success, 1 failure, 2 usage error. Errors never print a stack trace unless --debug.",
            "",
            "Examples:",
            "  mpool create mp1 /var/lib/mpool/mp1.img --size 100g",
            "  mpool list",
            "  mpool show mp1",
            "  mpool scan --activate",
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
        Stdout.install();
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status: 0 ok, 1 failure, 2 usage error. */
    public static int execute(String... args) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new MpoolCommand());
        boolean[] reported = {false};
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            reported[0] = Stdout.isFailure(e);
            if (reported[0] && Stdout.isBrokenPipe(e)) {
                return 1; // the reader stopped reading (| head): no one to tell
            }
            return report(name(commandLine), e, debug);
        });
        cli.setParameterExceptionHandler((e, badArgs) -> {
            String command = name(e.getCommandLine());
            System.err.println("mpool: " + (command.isEmpty() ? "" : command + ": ") + e.getMessage() + " ["
                    + ErrorCode.INVALID_ARGUMENT + "]");
            CommandLine.UnmatchedArgumentException.printSuggestions(e, System.err);
            System.err.println("Try 'mpool " + (command.isEmpty() ? "" : command + " ") + "--help'.");
            return ErrorCode.INVALID_ARGUMENT.exitStatus();
        });
        int status = cli.execute(args);
        IOException failure = Stdout.failure();
        if (failure != null && Stdout.isBrokenPipe(failure)) {
            return Math.max(status, 1); // the reader stopped reading (| head): no one to tell
        }
        if (failure != null && !reported[0]) {
            CommandLine.ParseResult pr = cli.getParseResult();
            while (pr != null && pr.subcommand() != null) {
                pr = pr.subcommand();
            }
            String command = pr == null ? "" : name(pr.commandSpec().commandLine());
            System.err.println("mpool: " + command + ": cannot write to standard output: " + failure.getMessage() + " ["
                    + ErrorCode.IO + "]");
            return Math.max(status, 1);
        }
        return status;
    }

    /** The command as people type it after {@code mpool}, e.g. {@code mblock get}. */
    private static String name(CommandLine commandLine) {
        return commandLine.getCommandSpec().qualifiedName(" ").replaceFirst("^mpool ?", "");
    }

    /**
     * Reports a command's failure on stderr as {@code mpool: COMMAND: message [CODE]} and returns
     * its exit status. Mistakes in what the user gave (missing files, directories, permissions)
     * are errors with a code like any other; only a bug is an "internal error". No stack trace
     * without {@code --debug}.
     */
    static int report(String command, Exception e, boolean debug) {
        MpoolException me = asMpoolException(e);
        if (me != null) {
            System.err.println("mpool: " + command + ": " + me.getMessage() + " [" + me.code() + "]");
        } else {
            System.err.println("mpool: " + command + ": internal error: " + e
                    + (debug ? "" : " (a bug: --debug prints where it happened)"));
        }
        if (debug) {
            e.printStackTrace();
        }
        return me != null ? me.code().exitStatus() : 1;
    }

    /** The error a person should see for {@code e}, or null for a bug. */
    private static MpoolException asMpoolException(Exception e) {
        return switch (e) {
            case MpoolException me -> me;
            case IOException io
            when Stdout.isFailure(io) ->
                new MpoolException(ErrorCode.IO, "cannot write to standard output: " + io.getMessage(), io);
            case NoSuchFileException f ->
                new MpoolException(ErrorCode.NOT_FOUND, f.getFile() + ": no such file or directory", f);
            case FileAlreadyExistsException f ->
                new MpoolException(ErrorCode.EXISTS, f.getFile() + ": exists already", f);
            case AccessDeniedException f ->
                new MpoolException(ErrorCode.PERMISSION, f.getFile() + ": permission denied", f);
            case FileSystemException f ->
                new MpoolException(
                        ErrorCode.IO,
                        f.getFile() + ": "
                                + (f.getReason() != null
                                        ? f.getReason()
                                        : f.getClass().getSimpleName()),
                        f);
            case IOException io -> new MpoolException(ErrorCode.IO, io.getMessage(), io);
            default -> null;
        };
    }
}
