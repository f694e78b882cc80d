package io.channels4j.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs cannot rot: every code block marked {@code <!-- snippet: path#tag -->} in docs/ and in the README
 * equals the tagged region ({@code tag::name[]} to {@code end::name[]}) of that source file, which the build
 * compiles and tests; and every Java block in docs/ carries such a marker.
 */
class DocsSnippetsTest {

  private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->");

  private final Path root = Path.of("").toAbsolutePath().getParent();

  @Test
  void everyMarkedBlockEqualsItsSourceRegion() throws IOException {
    List<Path> pages = new ArrayList<>(markdownUnder(root.resolve("docs")));
    pages.add(root.resolve("README.md"));
    int checked = 0;
    for (Path page : pages) {
      List<String> lines = Files.readAllLines(page);
      for (int i = 0; i < lines.size(); i++) {
        Matcher marker = MARKER.matcher(lines.get(i));
        if (!marker.find()) {
          continue;
        }
        String where = root.relativize(page) + ":" + (i + 1);
        assertThat(lines.get(i + 1)).as(where + ": a fenced block follows the marker").startsWith("```");
        String block = String.join("\n", fencedBody(lines, i + 1));
        Path source = root.resolve(marker.group(1)).normalize();
        assertThat(source).as(where + ": the snippet's source stays inside the repository").startsWith(root);
        assertThat(block).as(where + ": the block is " + marker.group(1) + "#" + marker.group(2) + " verbatim")
            .isEqualTo(region(source, marker.group(2)));
        checked++;
      }
    }
    assertThat(checked).as("marked snippets checked").isGreaterThanOrEqualTo(10);
  }

  @Test
  void everyJavaBlockInTheDocsIsCompiledCode() throws IOException {
    for (Path page : markdownUnder(root.resolve("docs"))) {
      List<String> lines = Files.readAllLines(page);
      boolean inFence = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (!inFence && line.startsWith("```java")) {
          assertThat(i > 0 && MARKER.matcher(lines.get(i - 1)).find())
              .as(root.relativize(page) + ":" + (i + 1) + ": a Java block without a snippet marker").isTrue();
        }
        if (line.startsWith("```")) {
          inFence = !inFence;
        }
      }
    }
  }

  private static List<String> fencedBody(List<String> lines, int fence) {
    List<String> body = new ArrayList<>();
    for (int j = fence + 1; j < lines.size() && !lines.get(j).startsWith("```"); j++) {
      body.add(lines.get(j));
    }
    return body;
  }

  /** The lines between the tag's start and end markers, other tags' markers dropped, common indent removed. */
  static String region(Path source, String tag) throws IOException {
    List<String> lines = Files.readAllLines(source);
    List<String> region = new ArrayList<>();
    boolean in = false;
    boolean found = false;
    for (String line : lines) {
      if (line.contains("tag::" + tag + "[]")) {
        in = true;
        found = true;
      } else if (line.contains("end::" + tag + "[]")) {
        in = false;
      } else if (in && !line.contains("tag::") && !line.contains("end::")) {
        region.add(line);
      }
    }
    assertThat(found).as(source + " has tag " + tag).isTrue();
    while (!region.isEmpty() && region.get(region.size() - 1).isBlank()) {
      region.remove(region.size() - 1);
    }
    int indent = region.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return String.join("\n", region.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
  }

  private static List<Path> markdownUnder(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".md") && !p.toString().contains("/target/")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
