package org.mpool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/API.md cannot drift from the code it shows: every block it marks
 * {@code <!-- snippet: NAME -->} is, character for character, the lines of the examples'
 * sources between {@code // snippet: NAME} and {@code // end} (less their common indent), and
 * every snippet the sources mark is shown.
 */
class ApiDocSnippetsTest {
    private static final Pattern JAVA_START = Pattern.compile("^\\s*// snippet: (\\S+)\\s*$");
    private static final Pattern JAVA_END = Pattern.compile("^\\s*// end\\s*$");
    private static final Pattern DOC_MARK = Pattern.compile("^<!-- snippet: (\\S+) -->$");

    @Test
    void everySnippetInTheDocIsTheCode() throws IOException {
        Map<String, String> code = javaSnippets();
        List<Map.Entry<String, String>> shown = docSnippets();

        assertThat(shown).as("snippets in docs/API.md").isNotEmpty();
        for (Map.Entry<String, String> s : shown) {
            assertThat(code).as("docs/API.md shows snippet '%s'", s.getKey()).containsKey(s.getKey());
            assertThat(s.getValue())
                    .as("docs/API.md snippet '%s' (update it from the examples' sources)", s.getKey())
                    .isEqualTo(code.get(s.getKey()));
        }
        assertThat(shown.stream().map(Map.Entry::getKey))
                .as("snippets marked in the sources and shown in docs/API.md")
                .containsAll(code.keySet());
    }

    /** The snippets of every source file of the examples, by name (each name once). */
    private static Map<String, String> javaSnippets() throws IOException {
        Map<String, String> snippets = new LinkedHashMap<>();
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(root().resolve("mpool-examples/src/main/java"))) {
            sources = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                Matcher start = JAVA_START.matcher(lines.get(i));
                if (!start.matches()) {
                    continue;
                }
                int end = i + 1;
                while (end < lines.size() && !JAVA_END.matcher(lines.get(end)).matches()) {
                    end++;
                }
                assertThat(end)
                        .as("'// end' of snippet %s in %s", start.group(1), source)
                        .isLessThan(lines.size());
                String previous = snippets.put(start.group(1), dedent(lines.subList(i + 1, end)));
                assertThat(previous)
                        .as("snippet %s marked twice", start.group(1))
                        .isNull();
                i = end;
            }
        }
        return snippets;
    }

    /** The snippets docs/API.md shows, in order: the fenced block after each marker. */
    private static List<Map.Entry<String, String>> docSnippets() throws IOException {
        List<String> lines = Files.readAllLines(root().resolve("docs/API.md"));
        List<Map.Entry<String, String>> snippets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher mark = DOC_MARK.matcher(lines.get(i));
            if (!mark.matches()) {
                continue;
            }
            assertThat(lines.get(i + 1))
                    .as("the line after snippet mark %s", mark.group(1))
                    .isEqualTo("```java");
            int end = i + 2;
            while (end < lines.size() && !lines.get(end).equals("```")) {
                end++;
            }
            snippets.add(Map.entry(mark.group(1), String.join("\n", lines.subList(i + 2, end))));
            i = end;
        }
        return snippets;
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        return String.join(
                "\n",
                lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
    }

    /** The repository's root: the first directory up from here that has docs/API.md. */
    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("docs/API.md")) && Files.isDirectory(p.resolve("mpool-examples"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docs/API.md above " + Path.of("").toAbsolutePath());
    }
}
