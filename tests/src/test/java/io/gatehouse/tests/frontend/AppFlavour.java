package io.gatehouse.tests.frontend;

import io.gatehouse.tests.support.Distribution;
import io.gatehouse.tests.support.GatehouseProcess;
import java.nio.file.Path;

/**
 * The apps a front-server test mounts, written for one runtime: each flavour mounts the same four behaviours at
 * the same places, so every case runs unchanged against each runtime.
 *
 * <ul>
 *   <li>{@code /app}: prints its environ as {@code KEY=value} lines, then {@code body-length=N};</li>
 *   <li>{@code /echo}: reads the whole body, answers {@code length=N} and {@code sha256=HEX};</li>
 *   <li>{@code /stream}: streams {@code ?bytes=N} (default 50 MB) of the pattern byte i = i % 251, no length;</li>
 *   <li>{@code /redirect}: 302 to SCRIPT_NAME + "/target" with a Set-Cookie.</li>
 * </ul>
 */
public enum AppFlavour {
    /** The JVM apps: the example EnvironApp and the shared test apps. */
    JVM {
        @Override
        public String appsYaml() {
            String examples = GatehouseProcess.exampleClasses().toString();
            String tests = testClasses().toString();
            return """
                    apps:
                      - name: environ
                        runtime: jvm
                        mount: /app
                        class: io.gatehouse.examples.hello.EnvironApp
                        classpath: [%1$s]
                      - name: echo
                        runtime: jvm
                        mount: /echo
                        class: io.gatehouse.tests.apps.EchoApp
                        classpath: [%2$s]
                      - name: stream
                        runtime: jvm
                        mount: /stream
                        class: io.gatehouse.tests.apps.StreamApp
                        classpath: [%2$s]
                      - name: redirect
                        runtime: jvm
                        mount: /redirect
                        class: io.gatehouse.tests.apps.RedirectApp
                        classpath: [%2$s]
                    """.formatted(examples, tests);
        }
    };

    /** The {@code apps:} section of a Gatehouse config mounting this flavour's four apps. */
    public abstract String appsYaml();

    /** The compiled test classes (the shared JVM test apps). */
    static Path testClasses() {
        return Distribution.repositoryRoot().resolve("tests/target/test-classes");
    }
}
