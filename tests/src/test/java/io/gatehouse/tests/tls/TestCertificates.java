package io.gatehouse.tests.tls;

import io.gatehouse.tests.support.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A throwaway PKI made with openssl in a test's directory: a CA, a server certificate for localhost and 127.0.0.1
 * (chain included in its file), a second server certificate for {@code other.test} (SNI), and a client certificate.
 */
final class TestCertificates {
    final Path dir;
    final Path ca;
    final Path server;
    final Path serverKey;
    final Path other;
    final Path otherKey;
    final Path client;
    final Path clientKey;

    private TestCertificates(Path dir) {
        this.dir = dir;
        ca = dir.resolve("ca.crt");
        server = dir.resolve("server.crt");
        serverKey = dir.resolve("server.key");
        other = dir.resolve("other.crt");
        otherKey = dir.resolve("other.key");
        client = dir.resolve("client.crt");
        clientKey = dir.resolve("client.key");
    }

    static TestCertificates create(Path dir) {
        TestCertificates c = new TestCertificates(dir);
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Gatehouse Test CA",
                "-keyout", "ca.key", "-out", "ca.crt");
        c.issue("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1", "rsa:2048");
        c.issue("other", "/CN=other.test", "subjectAltName=DNS:other.test", "ec:" + ecParams(dir));
        c.issue("client", "/C=US/O=Example/CN=alice", "extendedKeyUsage=clientAuth", "rsa:2048");
        return c;
    }

    /** Issues {@code name}.crt (the certificate, then the CA's) and {@code name}.key, replacing any before. */
    void issue(String name, String subject, String extension, String keySpec) {
        openssl(dir, "req", "-newkey", keySpec, "-nodes", "-subj", subject, "-keyout", name + ".key", "-out",
                name + ".csr");
        write(dir.resolve(name + ".ext"), extension + "\n");
        openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", name + ".ext", "-out", name + ".leaf");
        try {
            write(dir.resolve(name + ".crt"), Files.readString(dir.resolve(name + ".leaf")) + Files.readString(ca));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The serial number of a certificate file, as openssl prints it. */
    static String serial(Path certificate) {
        Command.Result r = Command.run(List.of("openssl", "x509", "-noout", "-serial", "-in", certificate.toString()),
                Duration.ofSeconds(30));
        return r.output().trim().replace("serial=", "");
    }

    private static String ecParams(Path dir) {
        openssl(dir, "ecparam", "-name", "prime256v1", "-out", "ec.params");
        return dir.resolve("ec.params").toString();
    }

    static void openssl(Path dir, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Command.Result r = Command.run(withDir(dir, command), Duration.ofSeconds(60));
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + r.output());
        }
    }

    private static List<String> withDir(Path dir, List<String> command) {
        List<String> out = new java.util.ArrayList<>(List.of("sh", "-c", "cd \"$0\" && exec \"$@\"", dir.toString()));
        out.addAll(command);
        return out;
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
