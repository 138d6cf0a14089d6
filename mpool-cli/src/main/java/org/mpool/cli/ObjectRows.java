package org.mpool.cli;

import java.util.List;
import org.mpool.Mpool;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;

/** The report of objects that {@code mblock list|stat}, {@code mlog list} and {@code mdc list} print. */
final class ObjectRows {
    /** The fields, as the help texts name them. */
    static final String FIELDS = "Fields: id type class length capacity offset owner";

    private ObjectRows() {}

    static Report report() {
        return new Report(List.of(
                Report.text("id", "ID"),
                Report.text("type", "TYPE"),
                Report.text("class", "CLASS"),
                Report.bytes("length", "LENGTH"),
                Report.bytes("capacity", "CAPACITY"),
                Report.number("offset", "OFFSET"),
                Report.text("owner", "OWNER")));
    }

    static void add(Report report, ObjectInfo o) {
        report.row(
                "id",
                o.id().toString(),
                "type",
                o.id().type().label(),
                "class",
                o.mediaClass().label(),
                "length",
                o.lengthBytes(),
                "capacity",
                o.capacityBytes(),
                "offset",
                o.offsetBytes(),
                "owner",
                o.owner() == 0 ? null : Cli.hex(o.owner()));
    }

    /** Prints the committed objects of {@code type} in {@code pool} (no lock taken). */
    static void list(String pool, ObjectId.Type type, OutputOptions output) {
        Report report = report();
        try (Mpool p = Cli.inspect(pool)) {
            for (ObjectInfo o : p.objects()) {
                if (o.id().type() == type) {
                    add(report, o);
                }
            }
        }
        report.print(System.out, output);
    }
}
