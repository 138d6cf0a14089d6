package org.mpool.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** The output options every reporting command takes. */
final class OutputOptions {
    enum Format {
        TABLE,
        JSON,
        YAML
    }

    @Option(
            names = "-o",
            paramLabel = "FIELD[,FIELD...]",
            split = ",",
            description = "Columns to show, by field name (see the JSON keys).")
    List<String> fields;

    @Option(names = "--noheadings", description = "Leave out the heading line.")
    boolean noHeadings;

    @Option(
            names = "--units",
            paramLabel = "b|k|m|g|t|h",
            defaultValue = "h",
            description = "Units for sizes in tables: bytes, KiB, MiB, GiB, TiB, or human (default).")
    String units;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "-Y", description = "Print YAML.")
    boolean yaml;

    Format format() {
        return json ? Format.JSON : yaml ? Format.YAML : Format.TABLE;
    }
}
