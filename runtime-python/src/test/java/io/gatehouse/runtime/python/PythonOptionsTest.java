package io.gatehouse.runtime.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.core.testing.CheckedOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The python runtime's YAML keys: binding, defaults, and every error pointing at its file, line and column. */
class PythonOptionsTest {
    @TempDir
    Path dir;

    private final PythonRuntime runtime = new PythonRuntime();
    private PythonOptions options;

    /** Loads one app with {@code keys} (YAML lines, indented under the app) and returns its errors. */
    private List<String> check(String... keys) throws IOException {
        StringBuilder yaml = new StringBuilder("""
                listeners:
                  - protocol: http
                    bind: 127.0.0.1:8080
                apps:
                  - name: site
                    runtime: python
                """);
        for (String key : keys) {
            yaml.append("    ").append(key).append('\n');
        }
        Path file = Files.writeString(dir.resolve("site.yaml"), yaml);
        // The module most cases name, so that the check that finds modules has nothing to say about them.
        Files.writeString(dir.resolve("app.py"), "server = application = None\n");
        List<String> errors = CheckedOptions.appErrors(runtime, file);
        if (errors.isEmpty()) {
            options = CheckedOptions.firstApp(runtime, file).options();
        }
        return errors.stream().map(e -> e.replaceFirst(Pattern.quote(dir + "/"), "")).toList();
    }

    @Test
    void bindsAModuleWithItsDefaults() throws IOException {
        assertEquals(List.of(), check("module: mysite.wsgi", "python: /bin/sh"));
        assertEquals("mysite.wsgi", options.moduleName());
        assertEquals("application", options.callableName());
        assertFalse(options.preload());
        assertEquals(Duration.ofSeconds(30), options.heartbeat());
        assertEquals(List.of(), options.pythonpath());
        assertEquals(Map.of(), options.env());
    }

    @Test
    void takesTheCallableFromTheModuleOrTheCallableKey() throws IOException {
        check("module: app:server", "python: /bin/sh");
        assertEquals("app", options.moduleName());
        assertEquals("server", options.callableName());
        Files.writeString(dir.resolve("hello.py"), "");
        check("wsgi-file: hello.py", "callable: app", "python: /bin/sh");
        assertNull(options.moduleName());
        assertEquals("app", options.callableName());
    }

    @Test
    void requiresModuleOrWsgiFileAtTheApp() throws IOException {
        assertEquals(List.of("site.yaml:5:5: apps[0].module: an app of runtime python needs 'module' "
                + "(pkg.mod:callable) or 'wsgi-file'"), check("preload: true"));
    }

    @Test
    void rejectsModuleAndWsgiFileTogetherAtTheWsgiFile() throws IOException {
        assertEquals(List.of("site.yaml:8:16: apps[0].wsgi-file: give either 'module' or 'wsgi-file', not both"),
                check("module: app", "wsgi-file: app.py"));
    }

    @Test
    void rejectsAMalformedModuleOrCallable() throws IOException {
        assertEquals(List.of("site.yaml:7:13: apps[0].module: expected a dotted module name with an optional "
                + ":callable, such as 'mysite.wsgi' or 'app:server', got 'my-site.wsgi'"), check("module: my-site.wsgi"));
        assertEquals(List.of("site.yaml:8:15: apps[0].callable: the module 'app:server' already names its callable"),
                check("module: app:server", "callable: other"));
        assertEquals(List.of("site.yaml:8:15: apps[0].callable: expected a Python identifier, got 'a.b'"),
                check("module: app", "callable: a.b"));
    }

    @Test
    void rejectsPythonTogetherWithHome() throws IOException {
        assertEquals(List.of("site.yaml:9:11: apps[0].home: give either 'python' or 'home', not both"),
                check("module: app", "python: /usr/bin/python3", "home: venv"));
    }

    @Test
    void takesBootTimeoutAsTheAppsOwnKey() throws IOException {
        // boot-timeout is a key of every app (the pool's), which the python runtime uses for its workers
        assertEquals(List.of(), check("module: app", "python: /bin/sh", "boot-timeout: 1s"));
    }

    @Test
    void rejectsAnEnvironmentVariableNameWithAnEqualsSign() throws IOException {
        assertEquals(List.of("site.yaml:9:10: apps[0].env: 'A=B' cannot be an environment variable (names must be "
                + "non-empty without '=' or NUL, values without NUL)"),
                check("module: app", "python: /bin/sh", "env: {'A=B': x}"));
    }

    @Test
    void reportsMissingFilesAndDirectoriesWhereTheyAreNamed() throws IOException {
        Files.createDirectories(dir.resolve("lib"));
        assertEquals(List.of(
                "site.yaml:7:16: apps[0].wsgi-file: no such file: " + dir.resolve("nope.py"),
                "site.yaml:8:12: apps[0].chdir: no such directory: " + dir.resolve("srv"),
                "site.yaml:9:23: apps[0].pythonpath[1]: no such file or directory: " + dir.resolve("gone"),
                "site.yaml:10:13: apps[0].python: not an executable file: " + dir.resolve("bin/python")),
                check("wsgi-file: nope.py", "chdir: srv", "pythonpath: [lib, gone]", "python: bin/python"));
    }

    @Test
    void reportsAnInterpreterMissingFromPathOrAVirtualenvWithoutOne() throws IOException {
        assertEquals(List.of("site.yaml:8:13: apps[0].python: no 'python-that-does-not-exist' on PATH"),
                check("module: app", "python: python-that-does-not-exist"));
        Files.createDirectories(dir.resolve("venv/bin"));
        assertEquals(List.of("site.yaml:8:11: apps[0].home: not a virtualenv: " + dir.resolve("venv/bin/python")
                + " is missing"), check("module: app", "home: venv"));
        Path python = Files.createFile(dir.resolve("venv/bin/python"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertEquals(List.of(), check("module: app", "home: venv"));
        assertEquals(python, PythonLaunch.interpreter(appOf(), options));
        assertTrue(PythonLaunch.of(appOf(), options).env().get("PATH").startsWith(dir.resolve("venv/bin") + ":"));
    }

    @Test
    void reportsAModuleTheWorkersWouldNotFindWithoutImportingIt() throws IOException {
        Path python = PythonLaunch.onPath("python3");
        Files.createDirectories(dir.resolve("lib/pkg"));
        Files.writeString(dir.resolve("lib/pkg/__init__.py"), "raise SystemExit('imported, which a check must not')\n");
        Files.writeString(dir.resolve("site_app.py"), "application = None\n");
        assertEquals(List.of(), check("module: pkg.wsgi:app", "pythonpath: [lib]", "python: " + python));
        assertEquals(List.of(), check("module: site_app", "python: " + python));
        assertEquals(List.of(), check("module: json", "python: " + python), "the interpreter's own modules count");
        assertEquals(List.of("site.yaml:7:13: apps[0].module: no module 'nowhere_to_be_found' where the workers import "
                + "from: " + dir + " (the app's directory), then " + python + "'s own sys.path"),
                check("module: nowhere_to_be_found.wsgi", "python: " + python));
    }

    @Test
    void bindsTheAsgiKeysWithTheirDefaults() throws IOException {
        assertEquals(List.of(), check("module: app", "python: /bin/sh"));
        assertNull(options.appInterface(), "detected");
        assertEquals(PythonOptions.DEFAULT_CONCURRENCY, options.asgiConcurrency());
        assertEquals(PythonOptions.Lifespan.AUTO, options.lifespanMode());
        assertEquals(Duration.ofSeconds(3), options.harakiriGrace());
        assertEquals(List.of(), check("module: app", "python: /bin/sh", "interface: asgi", "concurrency: 500",
                "lifespan: on", "harakiri-grace: 10s"));
        assertEquals(PythonOptions.Interface.ASGI, options.appInterface());
        assertEquals(500, options.asgiConcurrency());
        assertEquals(PythonOptions.Lifespan.ON, options.lifespanMode());
        assertEquals(Duration.ofSeconds(10), options.harakiriGrace());
        assertTrue(PythonLaunch.of(appOf(), options).settings(dir.resolve("s"), "t", 1, 1, PythonDirect.NONE)
                .contains("\"interface\":\"asgi\",\"concurrency\":500,\"lifespan\":\"on\""));
    }

    @Test
    void checksConcurrencyAtItsLimits() throws IOException {
        assertEquals(List.of(), check("module: app", "python: /bin/sh", "concurrency: 1"));
        assertEquals(List.of(), check("module: app", "python: /bin/sh", "concurrency: 10000"));
        assertEquals(List.of("site.yaml:9:18: apps[0].concurrency: must be at least 1, got 0"),
                check("module: app", "python: /bin/sh", "concurrency: 0"));
        assertEquals(List.of("site.yaml:9:18: apps[0].concurrency: must be at most 10000, got 10001"),
                check("module: app", "python: /bin/sh", "concurrency: 10001"));
    }

    @Test
    void refusesKeysOfTheOtherInterface() throws IOException {
        assertEquals(List.of("site.yaml:10:18: apps[0].concurrency: is for ASGI apps; a WSGI app runs as many "
                + "requests at once as it has threads"),
                check("module: app", "python: /bin/sh", "interface: wsgi", "concurrency: 10"));
        assertEquals(List.of("site.yaml:10:15: apps[0].lifespan: is for ASGI apps (interface: asgi)"),
                check("module: app", "python: /bin/sh", "interface: wsgi", "lifespan: off"));
        assertEquals(List.of("site.yaml:10:15: apps[0].prefetch: is for WSGI apps; an ASGI worker runs up to "
                + "'concurrency' requests at once instead"),
                check("module: app", "python: /bin/sh", "interface: asgi", "prefetch: 2"));
        assertEquals(List.of("site.yaml:10:14: apps[0].threads: is for WSGI apps; an ASGI worker runs one event "
                + "loop, with up to 'concurrency' requests at once"),
                check("module: app", "python: /bin/sh", "interface: asgi", "threads: 4"));
        assertEquals(List.of("site.yaml:9:16: apps[0].interface: expected one of wsgi, asgi, got 'rsgi'"),
                check("module: app", "python: /bin/sh", "interface: rsgi"));
    }

    private AppConfig appOf() {
        return ConfigLoader.load(dir.resolve("site.yaml"), Map.of()).config().apps().get(0);
    }
}
