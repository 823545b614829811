package io.gatehouse.tests.systemd;

import io.gatehouse.tests.support.NspawnContainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One booted Debian bookworm with the built .deb at hand ({@link NspawnContainer}) for all the tests of a subclass,
 * run in their {@code @Order}, each building on the last; where none can boot, each test is skipped with the
 * reason. Every test's time, and the whole class's, goes to the test log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
abstract class InBookwormContainer {
    private NspawnContainer.Booted booted;
    private long classStarted;
    private long testStarted;

    @BeforeAll
    @Timeout(value = 30, unit = TimeUnit.MINUTES) // the first run on a machine builds the rootfs
    void boot(@TempDir Path dir) throws IOException {
        classStarted = System.nanoTime();
        booted = NspawnContainer.tryBootWithPackage(dir, unifiedCgroups());
    }

    /** Whether the container gets the unified cgroup v2 hierarchy on a hybrid host too (see NspawnContainer). */
    boolean unifiedCgroups() {
        return false;
    }

    @BeforeEach
    void startClock() {
        testStarted = System.nanoTime();
    }

    @AfterEach
    void reportTime(TestInfo test) {
        NspawnContainer.timing(test.getDisplayName(), testStarted);
    }

    @AfterAll
    void powerOff(TestInfo test) {
        booted.close();
        NspawnContainer.timing(test.getDisplayName() + " in all", classStarted);
    }

    /** The container; skips the calling test, with the reason, where none could boot. */
    NspawnContainer container() {
        return booted.get();
    }
}
