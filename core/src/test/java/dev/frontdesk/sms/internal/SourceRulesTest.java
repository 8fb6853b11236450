package dev.frontdesk.sms.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Rules on the main sources of every module of the reactor (read from the checkout the tests run in). */
class SourceRulesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyInternalPackageSaysItIsUnsupported() throws IOException {
        List<Path> internal = mainSources(p -> Files.isDirectory(p) && p.getFileName().toString().equals("internal"));
        assertThat(internal).as("internal packages found under " + ROOT).isNotEmpty();
        for (Path dir : internal) {
            Path info = dir.resolve("package-info.java");
            assertThat(info).as("package-info.java of " + ROOT.relativize(dir)).exists();
            assertThat(Files.readString(info).toLowerCase(java.util.Locale.ROOT)).as(ROOT.relativize(info).toString())
                    .containsAnyOf("unsupported", "not a supported api");
        }
    }

    @Test
    void javadocStatesItsRulesInsteadOfPointingAtTheDesignFile() throws IOException {
        // DESIGN.md is not shipped: a javadoc saying "see DESIGN.md" tells a library user nothing.
        for (Path file : mainSources(p -> p.toString().endsWith(".java"))) {
            assertThat(Files.readString(file)).as(ROOT.relativize(file).toString()).doesNotContain("DESIGN");
        }
    }

    private static List<Path> mainSources(java.util.function.Predicate<Path> filter) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(Files::isDirectory).toList()) {
                Path main = module.resolve("src/main/java");
                if (Files.isDirectory(main)) {
                    try (Stream<Path> all = Files.walk(main)) {
                        all.filter(filter).forEach(out::add);
                    }
                }
            }
        }
        return out;
    }
}
