package io.gatehouse.tests.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.App;
import io.gatehouse.tests.support.FreePort;
import io.gatehouse.tests.support.GatehouseProcess;
import io.gatehouse.tests.support.GatehouseYaml;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM app deployed as a jar, replaced by a new build (a rename over the old one, as deploy tools do):
 * {@code gatehouse reload --config-only} keeps the classes loaded; {@code gatehouse reload} loads the new ones in a
 * class loader of their own.
 */
class JvmCodeReloadTest {
    @TempDir
    Path dir;
    final HttpClient client = HttpClient.newHttpClient();

    /** Builds app.jar holding {@code versioned.VersionApp}, which answers {@code version}. */
    void build(String version) throws IOException, URISyntaxException {
        Path src = Files.createDirectories(dir.resolve("src/versioned"));
        Files.writeString(src.resolve("VersionApp.java"), """
                package versioned;

                import io.gatehouse.app.App;
                import io.gatehouse.app.Environ;
                import io.gatehouse.app.Headers;
                import io.gatehouse.app.Responder;
                import java.nio.charset.StandardCharsets;

                public final class VersionApp implements App {
                    @Override
                    public void call(Environ environ, Responder responder) throws Exception {
                        byte[] body = ("%s, loaded by " + getClass().getClassLoader().getName() + "@"
                                + System.identityHashCode(getClass().getClassLoader())).getBytes(StandardCharsets.UTF_8);
                        responder.start(200, Headers.of("Content-Type", "text/plain"));
                        responder.body().write(body);
                    }
                }
                """.formatted(version));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String api = Path.of(App.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        assertEquals(0, javac.run(null, null, null, "-classpath", api, "-d", classes.toString(),
                src.resolve("VersionApp.java").toString()));
        Path tmp = dir.resolve("app.jar.tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry("versioned/VersionApp.class"));
            jar.write(Files.readAllBytes(classes.resolve("versioned/VersionApp.class")));
            jar.closeEntry();
        }
        Files.move(tmp, dir.resolve("app.jar"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    String get(int port) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    GatehouseProcess.Outcome reload(String... args) {
        List<String> all = new ArrayList<>(List.of("reload", "-s", dir.resolve("control.sock").toString()));
        all.addAll(List.of(args));
        GatehouseProcess.Outcome o = GatehouseProcess.command(dir, all.toArray(String[]::new));
        assertEquals(0, o.status(), o.stdout() + o.stderr());
        return o;
    }

    @Test
    void reloadLoadsTheNewBuildInAFreshClassLoaderAndConfigOnlyDoesNot() throws Exception {
        build("version 1");
        int port = FreePort.pick();
        try (GatehouseProcess server = GatehouseProcess.start(dir, "master: {control-socket: "
                + dir.resolve("control.sock") + "}\n" + GatehouseYaml.httpSite(port, """
                - name: versioned
                  runtime: jvm
                  class: versioned.VersionApp
                  classpath: [app.jar]
                  threads: 4
                """))) {
            String first = get(port);
            assertTrue(first.startsWith("version 1, loaded by app:versioned@"), first);

            build("version 2");
            GatehouseProcess.Outcome kept = reload("--config-only");
            assertTrue(kept.stdout().contains("  versioned: unchanged\n"), kept.stdout());
            assertEquals(first, get(port), "the classes loaded stay in use");

            GatehouseProcess.Outcome o = reload();
            assertTrue(o.stdout().contains("  versioned: replaced (new code; workers replaced by generation 2"),
                    o.stdout());
            String second = get(port);
            assertTrue(second.startsWith("version 2, loaded by app:versioned@"), second);
            assertNotEquals(first.substring(first.indexOf('@')), second.substring(second.indexOf('@')),
                    "a new class loader");
            server.assertAlive();
        }
    }
}
