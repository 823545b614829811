package io.gatehouse.tests.support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The built distribution under test: packaging/target/gatehouse, made by {@code mvn package} before these tests. */
public final class Distribution {
    private Distribution() {
    }

    /** The distribution's root (holding bin/ and lib/). */
    public static Path home() {
        Path root = repositoryRoot();
        Path home = root.resolve("packaging/target/gatehouse");
        if (!Files.isExecutable(home.resolve("bin/gatehouse"))) {
            throw new IllegalStateException("no distribution at " + home + "; run 'mvn package' (or 'mvn verify') "
                    + "from the repository root first");
        }
        return home;
    }

    /** The launcher script. */
    public static Path launcher() {
        return home().resolve("bin/gatehouse");
    }

    /** The Debian package, packaging/target/gatehouse_VERSION_all.deb, built by {@code mvn package}. */
    public static Path debianPackage() throws IOException {
        Path target = repositoryRoot().resolve("packaging/target");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(target, "gatehouse_*_all.deb")) {
            for (Path deb : files) {
                return deb;
            }
        } catch (NoSuchFileException e) {
            // reported below
        }
        throw new IllegalStateException("no gatehouse_*_all.deb in " + target + "; run 'mvn package' (or 'mvn "
                + "verify') from the repository root first");
    }

    /** The repository's root directory (the parent of the tests module). */
    public static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("packaging/pom.xml")) && Files.exists(p.resolve("tests/pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + here);
    }
}
