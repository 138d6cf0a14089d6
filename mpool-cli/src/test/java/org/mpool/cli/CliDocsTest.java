package org.mpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * The command's documentation against the code: the man pages and the bash completion in
 * docs/cli are what the commands generate (a stale page fails the build), and docs/CLI.md has a
 * row for every command, beside the reference mpool's command, naming only options that exist.
 *
 * <p>To regenerate after changing a command: {@code scripts/gen-cli-docs} (it runs this test
 * with {@code -Dmpool.docs.write=true}).
 */
class CliDocsTest {
    private static final Path ROOT =
            Path.of(System.getProperty("mpool.root", "..")).toAbsolutePath().normalize();
    private static final Path MAN = ROOT.resolve("docs/cli/man");
    private static final Path COMPLETION = ROOT.resolve("docs/cli/mpool_completion.bash");
    private static final boolean WRITE = Boolean.getBoolean("mpool.docs.write");

    /** Every command of the tree, by its page name (mpool-mblock-get), with the page it renders. */
    private static Map<String, String> pages() {
        Map<String, String> pages = new TreeMap<>();
        collect(new CommandLine(new MpoolCommand()), pages);
        return pages;
    }

    private static void collect(CommandLine c, Map<String, String> pages) {
        StringWriter page = new StringWriter();
        try (PrintWriter w = new PrintWriter(page)) {
            ManPageGenerator.writeSingleManPage(w, c.getCommandSpec());
        }
        pages.put(c.getCommandSpec().qualifiedName("-") + ".adoc", page.toString());
        c.getSubcommands().values().forEach(sub -> collect(sub, pages));
    }

    @Test
    void manPagesAreWhatTheCommandsSay() throws IOException {
        Map<String, String> pages = pages();
        if (WRITE) {
            Files.createDirectories(MAN);
            try (Stream<Path> old = Files.list(MAN)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            for (Map.Entry<String, String> e : pages.entrySet()) {
                Files.writeString(MAN.resolve(e.getKey()), e.getValue());
            }
        }
        Set<String> onDisk = new TreeSet<>();
        try (Stream<Path> files = Files.list(MAN)) {
            files.forEach(p -> onDisk.add(p.getFileName().toString()));
        }
        assertThat(onDisk)
                .as("pages in %s (regenerate with scripts/gen-cli-docs)", MAN)
                .isEqualTo(pages.keySet());
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> e : pages.entrySet()) {
            if (!Files.readString(MAN.resolve(e.getKey())).equals(e.getValue())) {
                stale.add(e.getKey());
            }
        }
        assertThat(stale)
                .as("stale man pages (regenerate with scripts/gen-cli-docs)")
                .isEmpty();
    }

    @Test
    void completionIsWhatTheCommandsSay() throws IOException {
        String script = AutoComplete.bash("mpool", new CommandLine(new MpoolCommand()));
        if (WRITE) {
            Files.writeString(COMPLETION, script);
        }
        assertThat(Files.readString(COMPLETION))
                .as("%s is stale (regenerate with scripts/gen-cli-docs)", COMPLETION)
                .isEqualTo(script);
    }

    /** The rows of CLI.md's command table: first cell (the command as typed) → the whole row. */
    private static Map<String, List<String>> commandRows() throws IOException {
        String md = Files.readString(ROOT.resolve("docs/CLI.md"), StandardCharsets.UTF_8);
        Map<String, List<String>> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : md.lines().toList()) {
            if (line.startsWith("| command |")) {
                inTable = true;
                continue;
            }
            if (inTable && !line.startsWith("|")) {
                break;
            }
            if (inTable && !line.startsWith("|---")) {
                List<String> cells = new ArrayList<>();
                for (String cell : line.substring(1).split("(?<!\\\\)\\|")) {
                    cells.add(cell.strip());
                }
                rows.put(cells.getFirst(), cells);
            }
        }
        return rows;
    }

    @Test
    void cliMdHasEveryCommandBesideTheReferences() throws IOException {
        Map<String, List<String>> rows = commandRows();
        Map<String, CommandLine> commands = new TreeMap<>();
        leaves(new CommandLine(new MpoolCommand()), commands);
        commands.keySet().removeAll(Set.of("help", "generate-completion"));
        assertThat(commands).as("commands").isNotEmpty();

        List<String> problems = new ArrayList<>();
        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, List<String>> row : rows.entrySet()) {
            String first = row.getKey();
            List<String> cells = row.getValue();
            String command = commands.keySet().stream()
                    .filter(c -> first.startsWith("`" + c + " ") || first.startsWith("`" + c + "`"))
                    .reduce((a, b) -> a.length() >= b.length() ? a : b) // "mblock get", not "mblock"
                    .orElse(null);
            if (command == null) {
                problems.add("a row for no command: " + first);
                continue;
            }
            documented.add(command);
            if (cells.size() < 3 || cells.get(2).isEmpty()) {
                problems.add(command + ": no reference command beside it");
            }
            Set<String> options = new TreeSet<>();
            commands.get(command).getCommandSpec().options().forEach(o -> options.addAll(List.of(o.names())));
            Matcher m =
                    Pattern.compile("(?<![\\w-])(--[a-z][a-z-]*|-[a-zA-Z])\\b").matcher(first);
            while (m.find()) {
                if (!options.contains(m.group(1))) {
                    problems.add(command + ": CLI.md names " + m.group(1) + ", which it does not take");
                }
            }
        }
        assertThat(problems).as("docs/CLI.md's command table").isEmpty();
        assertThat(documented).as("commands with a row in docs/CLI.md").isEqualTo(commands.keySet());
    }

    private static void leaves(CommandLine c, Map<String, CommandLine> out) {
        if (c.getSubcommands().isEmpty()) {
            out.put(c.getCommandSpec().qualifiedName(" ").replaceFirst("^mpool ", ""), c);
        }
        c.getSubcommands().values().forEach(sub -> leaves(sub, out));
    }
}
