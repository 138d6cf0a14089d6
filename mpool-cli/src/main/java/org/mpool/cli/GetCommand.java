package org.mpool.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MpoolException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "Show pool properties: label, uid, gid, mode, spare (settable) and name, uuid, "
                + "mblocksize.<class> (read-only). Needs no lock.",
        footer = {
            "",
            "Fields: mpool property value",
            "",
            "Examples:",
            "  mpool get mp1",
            "  mpool get mp1 label mode --json"
        })
final class GetCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", paramLabel = "PROPERTY", arity = "0..*")
    List<String> properties = new ArrayList<>();

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        Map<String, String> all;
        try (Mpool pool = Cli.inspect(name)) {
            all = pool.properties();
        }
        Report report = new Report(List.of(
                Report.text("mpool", "MPOOL"), Report.text("property", "PROPERTY"), Report.text("value", "VALUE")));
        List<String> wanted = properties.isEmpty() ? new ArrayList<>(all.keySet()) : properties;
        for (String p : wanted) {
            if (!all.containsKey(p)) {
                throw MpoolException.invalid(
                        "unknown property '" + p + "'; properties: " + String.join(", ", all.keySet()));
            }
            report.row("mpool", name, "property", p, "value", all.get(p));
        }
        report.print(System.out, output);
        return 0;
    }
}
