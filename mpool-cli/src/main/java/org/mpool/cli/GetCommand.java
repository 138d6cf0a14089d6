package org.mpool.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.mpool.Mpool;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "Show pool properties: label, uid, gid, mode, spare, spare.capacity, spare.staging, discard,"
                + " reaper.budget, reaper.ttl, reaper.period (settable) and name, uuid, mblocksize.<class>"
                + " (read-only), of the pools named or of all pools. uid and gid show as names where /etc/passwd and"
                + " /etc/group have them (-n: numbers). spare.<class> is the class's spare in force: its own, else"
                + " spare. Needs no lock.",
        footer = {
            "",
            "Arguments that are property names select properties; the others name pools (by name or UUID).",
            "",
            "Fields: mpool property value",
            "",
            "Examples:",
            "  mpool get",
            "  mpool get mp1 mp2",
            "  mpool get mp1 label mode --json",
            "  mpool get mp1 spare.capacity reaper.ttl",
            "  mpool get uid gid -n"
        })
final class GetCommand implements Callable<Integer> {
    /** Every property a pool may have, in the order shown. */
    static final List<String> PROPERTIES = List.of(
            "name",
            "uuid",
            Mpool.PROP_LABEL,
            Mpool.PROP_UID,
            Mpool.PROP_GID,
            Mpool.PROP_MODE,
            Mpool.PROP_SPARE,
            Mpool.PROP_SPARE_CAPACITY,
            Mpool.PROP_SPARE_STAGING,
            Mpool.PROP_DISCARD,
            Mpool.PROP_REAPER_BUDGET,
            Mpool.PROP_REAPER_TTL,
            Mpool.PROP_REAPER_PERIOD,
            "mblocksize." + MediaClass.CAPACITY.label(),
            "mblocksize." + MediaClass.STAGING.label());

    @Parameters(paramLabel = "POOL|PROPERTY", arity = "0..*", description = "Pools (default: all) and properties.")
    List<String> arguments = new ArrayList<>();

    @Option(
            names = {"-p", "--property"},
            paramLabel = "PROPERTY[,PROPERTY...]",
            split = ",",
            description = "Properties to show (default: all).")
    List<String> properties = new ArrayList<>();

    @Option(
            names = {"-n", "--numeric"},
            description = "Show uid and gid as numbers.")
    boolean numeric;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        Set<String> wanted = new LinkedHashSet<>();
        List<String> targets = new ArrayList<>();
        for (String p : properties) {
            wanted.add(property(p));
        }
        for (String a : arguments) {
            if (PROPERTIES.contains(a)) {
                wanted.add(a);
            } else {
                targets.add(a);
            }
        }
        PoolLocator locator = Cli.locator();
        List<PoolLocator.Found> pools = new ArrayList<>();
        if (targets.isEmpty()) {
            for (PoolLocator.Surveyed s : locator.survey(List.of())) {
                if (s.found().capacity() != null) {
                    pools.add(s.found());
                }
            }
        } else {
            for (String t : targets) {
                pools.add(find(locator, t, !pools.isEmpty() || targets.size() < arguments.size()));
            }
        }
        Report report = new Report(List.of(
                Report.text("mpool", "MPOOL"), Report.text("property", "PROPERTY"), Report.text("value", "VALUE")));
        for (PoolLocator.Found f : pools) {
            Map<String, String> all;
            try (Mpool pool = locator.inspect(f)) {
                all = new LinkedHashMap<>(pool.properties());
            }
            for (String p : wanted.isEmpty() ? PROPERTIES : wanted) {
                if (!all.containsKey(p) && wanted.isEmpty()) {
                    continue; // a class the pool does not have
                }
                report.row("mpool", f.name(), "property", p, "value", shown(p, all.get(p)));
            }
        }
        report.print(System.out, output);
        return 0;
    }

    /**
     * The pool {@code target} names. An argument after the first pool that names neither a pool
     * nor a property is most likely a mistyped property: a usage error.
     */
    private static PoolLocator.Found find(PoolLocator locator, String target, boolean couldBeProperty) {
        try {
            return locator.find(target);
        } catch (MpoolException e) {
            if (e.code() != ErrorCode.NOT_FOUND || !couldBeProperty) {
                throw e;
            }
            throw MpoolException.invalid("'" + target + "' is neither a property (" + String.join(", ", PROPERTIES)
                    + ") nor a pool (see 'mpool list')");
        }
    }

    /** A property name as given to -p: INVALID_ARGUMENT if there is no such property. */
    static String property(String name) {
        String p = name.trim();
        if (!PROPERTIES.contains(p)) {
            throw MpoolException.invalid("unknown property '" + p + "'; properties: " + String.join(", ", PROPERTIES));
        }
        return p;
    }

    private String shown(String property, String value) {
        if (value == null || numeric) {
            return value;
        }
        return switch (property) {
            case Mpool.PROP_UID -> Cli.idName(value, "/etc/passwd");
            case Mpool.PROP_GID -> Cli.idName(value, "/etc/group");
            default -> value;
        };
    }
}
