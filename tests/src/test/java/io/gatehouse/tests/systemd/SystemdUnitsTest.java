package io.gatehouse.tests.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gatehouse.tests.support.Command;
import io.gatehouse.tests.support.Distribution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's units pass {@code systemd-analyze verify} without a word (an ignored key is a warning, and a
 * failure here). It needs no booted systemd, so it also runs where {@link SystemdServiceTest} cannot boot one;
 * /usr/bin/gatehouse, which only the .deb installs, is pointed at the built launcher.
 */
class SystemdUnitsTest {
    @TempDir
    Path dir;

    @Test
    void theUnitsPassSystemdAnalyzeVerify() throws IOException {
        assumeTrue(Command.installed("systemd-analyze"), "systemd-analyze is not installed (package systemd)");
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify", "--man=no"));
        try (Stream<Path> units = Files.list(Distribution.home().resolve("systemd"))) {
            for (Path unit : units.toList()) {
                String name = unit.getFileName().toString();
                Files.writeString(dir.resolve(name), Files.readString(unit).replace("/usr/bin/gatehouse",
                        Distribution.launcher().toString()));
                command.add(dir.resolve(name.replace("@.", "@verify.")).toString());
            }
        }
        assertEquals(4, command.size() - 3, "the units: " + command);
        Command.Result r = Command.run(command, Duration.ofSeconds(60));
        assertEquals(new Command.Result(0, ""), r, String.join(" ", command));
    }
}
