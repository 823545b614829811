package io.gatehouse.tests.support;

import java.nio.file.Files;
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
