package org.mpool.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List a pool's mblocks. Needs no lock.",
        footer = {"", "Fields: id type class length capacity offset", "", "Example:", "  mpool mblock list mp1 --json"})
final class MblockListCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "POOL")
    String pool;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        Report report = objectReport();
        try (Mpool p = Cli.inspect(pool)) {
            for (ObjectInfo o : p.objects()) {
                if (o.id().type() == ObjectId.Type.MBLOCK) {
                    addRow(report, o);
                }
            }
        }
        report.print(System.out, output);
        return 0;
    }

    static Report objectReport() {
        return new Report(List.of(
                Report.text("id", "ID"),
                Report.text("type", "TYPE"),
                Report.text("class", "CLASS"),
                Report.bytes("length", "LENGTH"),
                Report.bytes("capacity", "CAPACITY"),
                Report.number("offset", "OFFSET")));
    }

    static void addRow(Report report, ObjectInfo o) {
        report.row(
                "id",
                o.id().toString(),
                "type",
                o.id().type().name().toLowerCase(Locale.ROOT),
                "class",
                o.mediaClass().label(),
                "length",
                o.lengthBytes(),
                "capacity",
                o.capacityBytes(),
                "offset",
                o.offsetBytes());
    }
}
