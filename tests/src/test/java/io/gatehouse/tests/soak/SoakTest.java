package io.gatehouse.tests.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.examples.hello.HelloApp;
import io.gatehouse.tests.python.PythonApps;
import io.gatehouse.tests.support.ControlStatus;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import io.gatehouse.tests.support.LoggedProcess;
import io.gatehouse.tests.support.Nginx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak: mixed traffic for {@code -Dgatehouse.soak.minutes} minutes (not in CI) through nginx over uwsgi and
 * straight to the HTTP listener, to a Python app recycled by max-requests and a JVM app, with a graceful reload
 * (the Python app changed, so replaced) every five minutes and a Python worker killed every minute. It reports the
 * failures (those of a killed worker's requests in flight are expected; any other is not), and the master's and
 * workers' resident memory and open files over time, and fails on an unexpected failure, memory that grows or files
 * that leak. Run it with
 * {@code mvn -B -ntp -pl tests -am verify -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.skip=true
 * -Dgatehouse.soak.minutes=30}; docs/reliability.md says what a run shows.
 */
@EnabledIfSystemProperty(named = "gatehouse.soak.minutes", matches = "[1-9][0-9]*")
class SoakTest {
    static final Duration KILL_EVERY = Duration.ofMinutes(1);
    static final Duration RELOAD_EVERY = Duration.ofMinutes(5);
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(30);
    /** Growth of the master's resident memory from the first sample after warm-up to the last, at most. */
    static final long RSS_GROWTH_LIMIT_MIB = 64;
    /** Growth of the master's open files over the run, at most (connections in flight at the sample). */
    static final int FD_GROWTH_LIMIT = 64;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.HOURS)
    void servesMixedTrafficThroughReloadsRecyclingAndKilledWorkers() throws Exception {
        long minutes = Long.getLong("gatehouse.soak.minutes");
        Path control = dir.resolve("control.sock");
        Path socket = dir.resolve("uwsgi.sock");
        int port = FreePort.pick();
        Random random = new Random(17);
        try (GatehouseProcess server = GatehouseProcess.start(dir.resolve("gatehouse"), config(control, socket,
                port, 0));
                Nginx nginx = Nginx.start(dir.resolve("nginx"), "location / { include /etc/nginx/uwsgi_params; "
                        + "uwsgi_pass unix:" + socket + "; }\n");
                SoakTraffic traffic = SoakTraffic.start(List.of("http://127.0.0.1:" + nginx.port(),
                        "http://127.0.0.1:" + port), 8)) {
            SoakSamples samples = new SoakSamples(server.pid());
            long start = System.nanoTime();
            long end = start + TimeUnit.MINUTES.toNanos(minutes);
            long nextKill = start + KILL_EVERY.toNanos();
            long nextReload = start + RELOAD_EVERY.toNanos() + TimeUnit.SECONDS.toNanos(30); // apart from the kills
            long nextSample = start + TimeUnit.SECONDS.toNanos(10);
            int generation = 0;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (now >= nextKill) {
                    List<Long> ready = ControlStatus.readyPids(control, "flood");
                    if (!ready.isEmpty()) {
                        traffic.workerKilled();
                        LoggedProcess.signal(ready.get(random.nextInt(ready.size())), "KILL");
                    }
                    nextKill += KILL_EVERY.toNanos();
                }
                if (now >= nextReload) {
                    generation++;
                    GatehouseProcess.write(dir.resolve("gatehouse"), "gatehouse.yaml", config(control, socket, port,
                            generation));
                    server.signal("HUP");
                    nextReload += RELOAD_EVERY.toNanos();
                }
                if (now >= nextSample) {
                    samples.take(now - start, traffic);
                    nextSample += SAMPLE_EVERY.toNanos();
                }
                Thread.sleep(200);
            }
            traffic.stop();
            samples.take(System.nanoTime() - start, traffic);
            String report = samples.report(minutes, generation, traffic);
            System.out.println(report);
            Files.writeString(Path.of("target", "soak-report.txt"), report);
            assertEquals(List.of(), traffic.unexpected(), "unexpected failures");
            if (samples.pastWarmUp()) {
                assertTrue(samples.masterRssGrowthMiB() < RSS_GROWTH_LIMIT_MIB, report);
                assertTrue(samples.masterFdGrowth() < FD_GROWTH_LIMIT, report);
            }
            assertTrue(server.process().isAlive(), "the master is still up");
        }
    }

    /** The config; {@code generation} goes into the Python app's env, so a new one replaces the app on reload. */
    static String config(Path control, Path socket, int port, int generation) {
        return """
                master: {control-socket: %s}
                listeners:
                  - {name: front, protocol: uwsgi, bind: "unix:%s"}
                  - {name: web, protocol: http, bind: "127.0.0.1:%d"}
                apps:
                %s%s""".formatted(control, socket, port,
                PythonApps.app("flood", "/", "SOAK_GENERATION: \"" + generation + "\"",
                        PythonApps.module("flood_app", "workers: 4\nmax-requests: 500")).indent(2),
                GatehouseYaml.jvmApp("hello", "/jvm", HelloApp.class).indent(2));
    }
}
