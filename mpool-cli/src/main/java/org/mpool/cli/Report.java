package org.mpool.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mpool.common.MpoolException;

/**
 * A table of results printed as aligned columns, JSON or YAML. Field names are stable (they
 * are the JSON/YAML keys and the names {@code -o} takes); byte values stay numbers in JSON and
 * YAML and follow {@code --units} in tables.
 */
final class Report {
    /** How a column's values are shown. */
    enum Kind {
        TEXT,
        BYTES,
        NUMBER,
        PERCENT
    }

    /** A column; one not {@code byDefault} is shown only when {@code -o} names it. */
    record Column(String field, String header, Kind kind, boolean byDefault) {
        Column(String field, String header, Kind kind) {
            this(field, header, kind, true);
        }

        /** This column, shown only when asked for with {@code -o}. */
        Column onRequest() {
            return new Column(field, header, kind, false);
        }
    }

    private final List<Column> columns;
    private final List<Map<String, Object>> rows = new ArrayList<>();

    Report(List<Column> columns) {
        this.columns = columns;
    }

    static Column text(String field, String header) {
        return new Column(field, header, Kind.TEXT);
    }

    static Column bytes(String field, String header) {
        return new Column(field, header, Kind.BYTES);
    }

    static Column number(String field, String header) {
        return new Column(field, header, Kind.NUMBER);
    }

    static Column percent(String field, String header) {
        return new Column(field, header, Kind.PERCENT);
    }

    Report row(Object... fieldValuePairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < fieldValuePairs.length; i += 2) {
            row.put((String) fieldValuePairs[i], fieldValuePairs[i + 1]);
        }
        rows.add(row);
        return this;
    }

    List<Map<String, Object>> rows() {
        return rows;
    }

    void print(PrintStream out, OutputOptions o) {
        List<Column> shown = select(o.fields);
        switch (o.format()) {
            case JSON -> printJson(out, shown);
            case YAML -> printYaml(out, shown);
            default -> printTable(out, shown, o);
        }
    }

    private List<Column> select(List<String> fields) {
        if (fields == null || fields.isEmpty()) {
            return columns.stream().filter(Column::byDefault).toList();
        }
        List<Column> out = new ArrayList<>();
        for (String f : fields) {
            for (String name : f.split(",")) {
                String n = name.trim().toLowerCase(Locale.ROOT);
                Column c = columns.stream()
                        .filter(col -> col.field().equals(n))
                        .findFirst()
                        .orElseThrow(() -> MpoolException.invalid("unknown field '" + n + "' for -o; fields: "
                                + String.join(
                                        ",", columns.stream().map(Column::field).toList())));
                out.add(c);
            }
        }
        return out;
    }

    private void printTable(PrintStream out, List<Column> shown, OutputOptions o) {
        List<String[]> cells = new ArrayList<>();
        if (!o.noHeadings) {
            cells.add(shown.stream().map(Column::header).toArray(String[]::new));
        }
        for (Map<String, Object> row : rows) {
            cells.add(shown.stream()
                    .map(c -> cell(c, row.get(c.field()), o.units))
                    .toArray(String[]::new));
        }
        int[] width = new int[shown.size()];
        for (String[] r : cells) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                boolean right = shown.get(i).kind() != Kind.TEXT;
                String pad = " ".repeat(width[i] - r[i].length());
                line.append(i == 0 ? "" : "  ").append(right ? pad + r[i] : r[i] + (i == r.length - 1 ? "" : pad));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String cell(Column c, Object v, String units) {
        if (v == null) {
            return "-";
        }
        return switch (c.kind()) {
            case BYTES -> Units.format(((Number) v).longValue(), units);
            case PERCENT -> String.format(Locale.ROOT, "%.1f%%", ((Number) v).doubleValue());
            default -> v.toString();
        };
    }

    private void printJson(PrintStream out, List<Column> shown) {
        StringBuilder b = new StringBuilder("[");
        for (int r = 0; r < rows.size(); r++) {
            b.append(r == 0 ? "\n  {" : ",\n  {");
            for (int i = 0; i < shown.size(); i++) {
                Column c = shown.get(i);
                b.append(i == 0 ? "" : ", ")
                        .append(Json.quote(c.field()))
                        .append(": ")
                        .append(Json.value(rows.get(r).get(c.field())));
            }
            b.append('}');
        }
        out.println(b.append(rows.isEmpty() ? "]" : "\n]"));
    }

    private void printYaml(PrintStream out, List<Column> shown) {
        if (rows.isEmpty()) {
            out.println("[]");
        }
        for (Map<String, Object> row : rows) {
            for (int i = 0; i < shown.size(); i++) {
                Column c = shown.get(i);
                out.println((i == 0 ? "- " : "  ") + c.field() + ": " + Json.value(row.get(c.field())));
            }
        }
    }
}
