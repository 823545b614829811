package io.gatehouse.tests.hardening;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One {@link HostileSite} per test class, started before its first test and stopped after its last. */
abstract class HostileSiteCases {
    @TempDir
    static Path dir;
    static HostileSite site;

    @BeforeAll
    static void startSite() {
        site = HostileSite.start(dir);
    }

    @AfterAll
    static void stopSite() {
        site.close();
    }
}
