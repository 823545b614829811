package io.gatehouse.tests.frontend;

import static io.gatehouse.tests.support.GatehouseYaml.jvmApp;

import io.gatehouse.examples.hello.EnvironApp;
import io.gatehouse.examples.hello.HelloApp;
import io.gatehouse.tests.apps.EchoApp;
import io.gatehouse.tests.apps.FailAfterHeadApp;
import io.gatehouse.tests.apps.RedirectApp;
import io.gatehouse.tests.apps.StreamApp;
import io.gatehouse.tests.python.PythonApps;

/**
 * The apps a front-server test mounts, written for one runtime: each flavour mounts the same behaviours at the same
 * places, so every case runs unchanged against each runtime.
 *
 * <ul>
 *   <li>{@code /app}: prints its environ as {@code KEY=value} lines, then {@code body-length=N};</li>
 *   <li>{@code /echo}: reads the whole body, answers {@code method=M}, {@code length=N}, {@code sha256=HEX} and
 *       {@code content-length=L};</li>
 *   <li>{@code /stream}: streams {@code ?bytes=N} (default 50 MB) of the pattern byte i = i % 251, no length;</li>
 *   <li>{@code /redirect}: 302 to SCRIPT_NAME + "/target" with a Set-Cookie;</li>
 *   <li>{@code /hello}: "Hello, world!\n" with its length;</li>
 *   <li>{@code /fail}: a 200 head and 100 000 bytes without a length, then a failure.</li>
 * </ul>
 */
public enum AppFlavour {
    /** The JVM apps: the example EnvironApp and HelloApp, and the shared test apps. */
    JVM {
        @Override
        public String appsYaml() {
            return jvmApp("environ", "/app", EnvironApp.class) + jvmApp("echo", "/echo", EchoApp.class)
                    + jvmApp("stream", "/stream", StreamApp.class) + jvmApp("redirect", "/redirect", RedirectApp.class)
                    + jvmApp("hello", "/hello", HelloApp.class) + jvmApp("fail", "/fail", FailAfterHeadApp.class);
        }
    },
    /**
     * Plain ASGI 3 apps (tests/src/test/python/asgi_flavour.py) in the python runtime, one worker each: the
     * environ app rebuilds the CGI variables from the http scope, so every case checks the scope too.
     */
    ASGI {
        @Override
        public String appsYaml() {
            StringBuilder yaml = new StringBuilder();
            for (String[] mount : new String[][] {{"environ", "/app"}, {"echo", "/echo"}, {"stream", "/stream"},
                    {"redirect", "/redirect"}, {"hello", "/hello"}, {"fail", "/fail"}}) {
                yaml.append(PythonApps.app(mount[0], mount[1], PythonApps.module("asgi_flavour:" + mount[0] + "_app",
                        "interface: asgi\nconcurrency: 8")));
            }
            return yaml.toString();
        }
    };

    /** This flavour's apps, as list items under a Gatehouse config's {@code apps:}. */
    public abstract String appsYaml();
}
