package io.gatehouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.master.ResolvedConfig;
import io.gatehouse.core.protocol.ProtocolCatalog;
import io.gatehouse.core.runtime.RuntimeCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code gatehouse import-uwsgi} on real-world uWSGI configs (src/test/resources/uwsgi/CASE/, written after Django's,
 * Flask's and uWSGI's own deployment docs): the output is the expected YAML, every option left out is on stderr,
 * and the output passes {@code check} once the files the config names are laid out beside it (layout.txt).
 */
class ImportUwsgiTest {
    @TempDir
    Path dir;
    final VerbConsole cli = new VerbConsole();

    @ParameterizedTest
    @ValueSource(strings = {"django-tutorial", "django-docs", "flask-http", "flask-mount", "quickstart-yaml",
        "production"})
    void convertsARealWorldConfigIntoOneThatPassesCheck(String name) throws IOException {
        Path fixture = resource(name);
        Path site = Files.createDirectories(dir.resolve(name));
        try (Stream<Path> files = Files.list(fixture)) {
            for (Path f : files.toList()) {
                Files.copy(f, site.resolve(f.getFileName().toString()));
            }
        }
        layOut(site);
        Path input = Files.exists(site.resolve("uwsgi.ini")) ? site.resolve("uwsgi.ini") : site.resolve("uwsgi.yaml");
        Path output = site.resolve("gatehouse.yaml");

        int status = cli.execute("import-uwsgi", input.toString(), "-o", output.toString());

        String expected = Files.readString(fixture.resolve("expected.yaml")).replace("@DIR@", site.toString());
        assertEquals(aligned(expected), aligned(Files.readString(output)));
        List<String> listed = expected.lines().dropWhile(l -> !l.startsWith("# uWSGI options with no equivalent"))
                .skip(1).toList();
        assertEquals(listed.isEmpty() ? 0 : 1, status, cli.err.toString());
        assertEquals(listed.size(), cli.err.toString().lines().count(), cli.err.toString());
        assertTrue(cli.err.toString().lines().allMatch(l -> l.startsWith("gatehouse: " + site)), cli.err.toString());
        ResolvedConfig checked = ResolvedConfig.load(output, Map.of("SHOP_ENV", "production"), ProtocolCatalog.load(),
                RuntimeCatalog.load());
        assertEquals(List.of(), checked.warnings());
    }

    @Test
    void writesAnAppsDirFileWithTheServerWideSettingsCommentedOutForTheMainConfig() throws IOException {
        Path site = Files.createDirectories(dir.resolve("production"));
        try (Stream<Path> files = Files.list(resource("production"))) {
            for (Path f : files.toList()) {
                Files.copy(f, site.resolve(f.getFileName().toString()));
            }
        }
        layOut(site);
        Path appsFile = Files.createDirectories(site.resolve("apps.d")).resolve("shop.yaml");

        int status = cli.execute("import-uwsgi", site.resolve("uwsgi.ini").toString(), "--apps-dir", "-o",
                appsFile.toString());

        assertEquals(1, status, cli.err.toString()); // the fixture has options with no equivalent
        String yaml = Files.readString(appsFile);
        List<String> serverWide = yaml.lines().dropWhile(l -> !l.startsWith("# Server-wide settings"))
                .skip(2).takeWhile(l -> !l.isEmpty()).toList();
        assertEquals(List.of("# master:", "# logging:", "# stats:"),
                serverWide.stream().filter(l -> l.matches("# [a-z]+:")).toList(), yaml);
        Path main = Files.writeString(site.resolve("gatehouse.yaml"), "apps-dir: apps.d\n");
        ResolvedConfig.load(main, Map.of("SHOP_ENV", "production"), ProtocolCatalog.load(), RuntimeCatalog.load());
        // uncommented into the main config, the server-wide settings are valid there
        Files.writeString(main, "apps-dir: apps.d\n" + serverWide.stream().map(l -> l.substring(2) + "\n")
                .reduce("", String::concat));
        ResolvedConfig.load(main, Map.of("SHOP_ENV", "production"), ProtocolCatalog.load(), RuntimeCatalog.load());
    }

    /** The text with its comments two spaces after their lines: the column they align to moves with the paths. */
    private static String aligned(String yaml) {
        return yaml.replaceAll(" {2,}# ", "  # ");
    }

    /** layout.txt: {@code dir PATH}, {@code file PATH} and {@code venv PATH} (a virtualenv's bin/python). */
    private static void layOut(Path site) throws IOException {
        for (String line : Files.readAllLines(site.resolve("layout.txt"))) {
            String[] f = line.split(" ", 2);
            Path p = site.resolve(f[1]);
            switch (f[0]) {
                case "dir" -> Files.createDirectories(p);
                case "file" -> Files.writeString(Files.createDirectories(p.getParent()).resolve(p.getFileName()),
                        "application = None\n");
                case "venv" -> Files.createSymbolicLink(Files.createDirectories(p.resolve("bin")).resolve("python"),
                        python());
                default -> throw new IllegalArgumentException(line);
            }
        }
    }

    private static Path python() {
        return Stream.of(System.getenv("PATH").split(":")).map(d -> Path.of(d, "python3")).filter(Files::isExecutable)
                .findFirst().orElseThrow(() -> new IllegalStateException("no python3 on PATH"));
    }

    private static Path resource(String name) {
        try {
            return Path.of(ImportUwsgiTest.class.getResource("/uwsgi/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
