package io.jqueue.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module descriptors keep {@code io.jqueue.internal} for jqueue's own modules: a module outside
 * jqueue compiles against the API and the SPI, and fails to compile against internal.
 */
class ModuleBoundaryTest {
  @TempDir Path dir;

  @Test
  @DisplayName("every library module is a named module exporting its API, internal only to jqueue")
  void descriptors() {
    Map<String, ModuleDescriptor> modules =
        ModuleFinder.of(modulePath().toArray(Path[]::new)).findAll().stream()
            .map(ModuleReference::descriptor)
            .filter(d -> d.name().startsWith("io.jqueue"))
            .collect(Collectors.toMap(ModuleDescriptor::name, d -> d));

    assertThat(modules)
        .containsKeys(
            "io.jqueue",
            "io.jqueue.embedded",
            "io.jqueue.rabbitmq",
            "io.jqueue.testkit",
            "io.jqueue.admin");
    assertThat(modules.values()).noneMatch(ModuleDescriptor::isAutomatic);
    ModuleDescriptor core = modules.get("io.jqueue");
    assertThat(core.exports())
        .filteredOn(e -> e.source().equals("io.jqueue.internal"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.targets())
                    .containsExactlyInAnyOrder(
                        "io.jqueue.embedded",
                        "io.jqueue.rabbitmq",
                        "io.jqueue.testkit",
                        "io.jqueue.admin",
                        "io.jqueue.cli"));
    assertThat(core.exports())
        .filteredOn(e -> !e.isQualified())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder(
            "io.jqueue",
            "io.jqueue.codec",
            "io.jqueue.filter",
            "io.jqueue.metrics",
            "io.jqueue.middleware",
            "io.jqueue.publishers",
            "io.jqueue.spi",
            "io.jqueue.time");
  }

  @Test
  @DisplayName("a module outside jqueue compiles against io.jqueue but not io.jqueue.internal")
  void outsiderCannotReadInternal() throws IOException {
    String api =
        "package outsider; public class UsesApi {"
            + " io.jqueue.Message m = io.jqueue.Message.builder().text(\"x\").build(); }";
    String internal =
        "package outsider; public class UsesInternal {"
            + " long n = io.jqueue.internal.Saturating.toNanos(java.time.Duration.ZERO); }";

    Result ok = compile("UsesApi", api);
    Result refused = compile("UsesInternal", internal);

    assertThat(ok.success).as(ok.output).isTrue();
    assertThat(refused.success).isFalse();
    assertThat(refused.output)
        .contains("io.jqueue.internal")
        .containsAnyOf("is not visible", "does not export");
  }

  private record Result(boolean success, String output) {}

  private Result compile(String className, String source) throws IOException {
    Path src = Files.createDirectories(dir.resolve(className).resolve("src"));
    Files.writeString(src.resolve("module-info.java"), "module outsider { requires io.jqueue; }");
    Path pkg = Files.createDirectories(src.resolve("outsider"));
    Files.writeString(pkg.resolve(className + ".java"), source);
    Path out = Files.createDirectories(dir.resolve(className).resolve("out"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter output = new StringWriter();
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--release",
            "17",
            "-d",
            out.toString(),
            "--module-path",
            modulePath().stream()
                .map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator))));
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
      boolean success =
          javac
              .getTask(
                  output,
                  files,
                  null,
                  args,
                  null,
                  files.getJavaFileObjects(
                      src.resolve("module-info.java"), pkg.resolve(className + ".java")))
              .call();
      return new Result(success, output.toString());
    }
  }

  /** jqueue's modules and what the core needs, from this test's class path. */
  private static List<Path> modulePath() {
    Set<String> wanted =
        Set.of(
            "jqueue-core",
            "jqueue-embedded",
            "jqueue-rabbitmq",
            "jqueue-testkit",
            "jqueue-admin",
            "slf4j-api",
            "jackson-databind",
            "jackson-core",
            "jackson-annotations",
            "micrometer-core",
            "micrometer-commons",
            "micrometer-observation",
            "resilience4j-core",
            "resilience4j-retry",
            "resilience4j-circuitbreaker",
            "amqp-client",
            "junit-jupiter-api",
            "assertj-core",
            "awaitility",
            "opentest4j",
            "junit-platform-commons",
            "apiguardian-api");
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Path::of)
        .filter(p -> wanted.stream().anyMatch(w -> p.toString().contains(w)))
        .filter(p -> !p.toString().contains("test-classes"))
        .toList();
  }
}
