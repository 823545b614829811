package io.gatehouse.tests.fastcgi;

import io.gatehouse.tests.support.Distribution;
import io.gatehouse.tests.support.GatehouseProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The Gatehouse the FastCGI tests run: one fastcgi listener and the test apps, each at its own mount. */
final class FcgiGatehouse {
    private FcgiGatehouse() {
    }

    /** Starts Gatehouse with a fastcgi listener on 127.0.0.1:{@code port}. */
    static GatehouseProcess start(Path dir, int port) {
        String examples = GatehouseProcess.exampleClasses().toString();
        String apps = Distribution.repositoryRoot().resolve("tests/target/test-classes").toString();
        return GatehouseProcess.start(dir, """
                listeners:
                  - name: fcgi
                    protocol: fastcgi
                    bind: 127.0.0.1:%1$d
                apps:
                  - name: environ
                    runtime: jvm
                    mount: /env
                    class: io.gatehouse.examples.hello.EnvironApp
                    classpath: [%2$s]
                  - name: hello
                    runtime: jvm
                    mount: /hello
                    class: io.gatehouse.examples.hello.HelloApp
                    classpath: [%2$s]
                  - name: echo
                    runtime: jvm
                    mount: /echo
                    class: io.gatehouse.tests.apps.EchoApp
                    classpath: [%3$s]
                  - name: stream
                    runtime: jvm
                    mount: /stream
                    class: io.gatehouse.tests.apps.StreamApp
                    classpath: [%3$s]
                """.formatted(port, examples, apps));
    }

    /** Reads {@code in} to its end, checking it is StreamApp's pattern; returns the byte count. */
    static long readPattern(InputStream in) throws IOException {
        byte[] buf = new byte[65536];
        long i = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int k = 0; k < n; k++, i++) {
                if (buf[k] != (byte) (i % 251)) {
                    throw new AssertionError("byte " + i + " is " + buf[k] + ", expected " + (byte) (i % 251));
                }
            }
        }
        return i;
    }

    /**
     * TCP connections in state ESTABLISHED from 127.0.0.1 to {@code port}, as the kernel lists them in
     * /proc/net/tcp (the front server's side of each FastCGI connection).
     */
    static long establishedTo(int port) {
        try {
            String hexPort = String.format(Locale.ROOT, ":%04X", port);
            List<String> lines = Files.readAllLines(Path.of("/proc/net/tcp"));
            return lines.stream().skip(1).map(String::trim).map(l -> l.split("\\s+"))
                    .filter(f -> f.length > 3 && f[2].endsWith(hexPort) && f[3].equals("01")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
