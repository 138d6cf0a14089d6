package org.mpool.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mpool.common.MpoolException;
import org.mpool.spi.BlockDevice;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        description = "Find pools and their devices by the UUIDs in their superblocks: on the given paths, the "
                + "registered devices and every block device. A registered pool whose devices moved is found again "
                + "and its registry entry follows it. Shows each device's pool and that pool's state: active, "
                + "inactive or in use (by which process).",
        footer = {
            "",
            "Fields: device mpool class uuid mblocksize state; on request (-o): deviceuuid cleanlyclosed",
            "",
            "Examples:",
            "  mpool scan",
            "  mpool scan /var/lib/mpool/*.img --activate",
            "  mpool scan --deactivate",
            "  mpool scan --json"
        })
final class ScanCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "PATH",
            arity = "0..*",
            description = "Extra devices or files to look at (a directory: the files in it).")
    List<Path> paths = new ArrayList<>();

    static final class Action {
        @Option(names = "--activate", required = true, description = "Activate every inactive pool found.")
        boolean activate;

        @Option(names = "--deactivate", required = true, description = "Deactivate every active pool found.")
        boolean deactivate;
    }

    @ArgGroup(exclusive = true)
    Action action;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        PoolLocator locator = Cli.locator();
        List<PoolLocator.Surveyed> pools = locator.survey(paths);
        int failures = 0;
        if (action != null) {
            for (PoolLocator.Surveyed p : pools) {
                PoolLocator.Found f = p.found();
                boolean wanted = action.activate ? !f.active() : f.active();
                if (!wanted || f.capacity() == null) {
                    continue;
                }
                try {
                    String done = action.activate
                            ? ActivateCommand.activate(locator, f)
                            : DeactivateCommand.deactivate(locator, f);
                    System.err.println("mpool: scan: " + done);
                } catch (MpoolException e) {
                    System.err.println("mpool: scan: cannot " + (action.activate ? "activate" : "deactivate") + " pool "
                            + p.name() + ": " + e.getMessage() + " [" + e.code() + "]");
                    failures++;
                }
            }
            pools = locator.survey(paths); // the states now
        }
        Report report = new Report(List.of(
                Report.text("device", "DEVICE"),
                Report.text("mpool", "MPOOL"),
                Report.text("class", "CLASS"),
                Report.text("uuid", "UUID"),
                Report.bytes("mblocksize", "MBLOCKSIZE"),
                Report.text("state", "STATE"),
                Report.text("deviceuuid", "DEVICEUUID").onRequest(),
                Report.text("cleanlyclosed", "CLEAN").onRequest()));
        Progress progress = new Progress("scan");
        int done = 0;
        for (PoolLocator.Surveyed p : pools) {
            String state = p.state();
            for (BlockDevice.Label l : p.devices()) {
                report.row(
                        "device",
                        l.device().toString(),
                        "mpool",
                        l.poolName(),
                        "class",
                        l.mediaClass().label(),
                        "uuid",
                        l.poolUuid().toString(),
                        "mblocksize",
                        l.mblockSizeBytes(),
                        "state",
                        state,
                        "deviceuuid",
                        l.deviceUuid().toString(),
                        "cleanlyclosed",
                        l.cleanlyClosed() ? "yes" : "no");
            }
            if (p.devices().isEmpty()) {
                System.err.println("mpool: scan: warning: pool " + p.name() + " is registered on "
                        + p.entry().capacity() + " but no device scanned holds it (moved: 'mpool scan PATH';"
                        + " gone: 'mpool destroy " + p.name() + " --force')");
            }
            progress.update(++done, pools.size());
        }
        report.print(System.out, output);
        return failures == 0 ? 0 : 1;
    }
}
