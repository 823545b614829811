package io.gatehouse.protocol.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files as nginx takes them: a certificate followed by its chain, and a private key in PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}) form;
 * and checks that a key belongs to its certificate. Every failure is an {@link IOException} whose message names the
 * file and says what is wrong, for the config error.
 */
final class HttpTlsKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);
    /** rsaEncryption and id-ecPublicKey (RFC 8017 A.1, RFC 5480 2.1.1). */
    private static final byte[] RSA_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
        0x01, 0x01};
    private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] PROBE = "gatehouse key check".getBytes(StandardCharsets.US_ASCII);

    /** A certificate chain (the server's first) and the private key of its first certificate. */
    record Pair(X509Certificate[] chain, PrivateKey key) {
        X509Certificate leaf() {
            return chain[0];
        }
    }

    private HttpTlsKeys() {
    }

    /** Reads {@code certificate} and {@code key} and checks that they belong together. */
    static Pair load(Path certificate, Path key) throws IOException {
        X509Certificate[] chain = certificates(certificate);
        PrivateKey privateKey = privateKey(key);
        if (!matches(privateKey, chain[0])) {
            throw new IOException(key + " is not the key of the certificate in " + certificate + " ("
                    + chain[0].getSubjectX500Principal().getName() + ")");
        }
        return new Pair(chain, privateKey);
    }

    /** Every certificate of a PEM file, in order; at least one. */
    static X509Certificate[] certificates(Path file) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.type.equals("CERTIFICATE") || b.type.equals("TRUSTED CERTIFICATE")) {
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der)));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a valid PEM certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": no PEM certificate (BEGIN CERTIFICATE) in it");
        }
        return out.toArray(X509Certificate[]::new);
    }

    /** The private key of a PEM file. */
    static PrivateKey privateKey(Path file) throws IOException {
        for (Block b : blocks(file)) {
            switch (b.type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, b.der);
                }
                case "RSA PRIVATE KEY" -> {
                    checkPlain(file, b);
                    return pkcs8(file, wrap(RSA_OID, new byte[] {0x05, 0x00}, b.der));
                }
                case "EC PRIVATE KEY" -> {
                    checkPlain(file, b);
                    return pkcs8(file, wrap(EC_OID, Der.curveOf(b.der, file), b.der));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw encrypted(file);
                default -> {
                    // EC PARAMETERS before an EC key, a certificate in the same file: not the key
                }
            }
        }
        throw new IOException(file + ": no PEM private key (BEGIN PRIVATE KEY) in it");
    }

    /** True when {@code key} signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // Ed25519, Ed448 sign under their own names
        };
        try {
            if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
                return false;
            }
            Signature signer = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                signer.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            signer.initVerify(certificate.getPublicKey());
            signer.update(PROBE);
            return signer.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot check the key against its certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException wrongAlgorithm) {
                // try the next kind of key
            }
        }
        throw new IOException(file + ": not an RSA, EC or EdDSA private key that can be read");
    }

    /** PKCS#8 PrivateKeyInfo around a PKCS#1 or SEC1 key (RFC 5208 5). */
    private static byte[] wrap(byte[] algorithm, byte[] parameters, byte[] key) {
        byte[] identifier = Der.sequence(Der.concat(algorithm, parameters));
        return Der.sequence(Der.concat(new byte[] {0x02, 0x01, 0x00}, identifier, Der.tagged(0x04, key)));
    }

    private static void checkPlain(Path file, Block b) throws IOException {
        if (b.headers.contains("ENCRYPTED")) {
            throw encrypted(file);
        }
    }

    private static IOException encrypted(Path file) {
        return new IOException(file + ": the key is encrypted; write it unencrypted (openssl pkey -in KEY -out "
                + "KEY.plain) and keep the file readable by the server's user only");
    }

    private record Block(String type, String headers, byte[] der) {
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + describe(e), e);
        }
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            int blank = body.indexOf("\n\n");
            String headers = body.contains(":") && blank > 0 ? body.substring(0, blank) : "";
            String base64 = (headers.isEmpty() ? body : body.substring(blank)).replaceAll("\\s", "");
            try {
                out.add(new Block(m.group(1), headers, Base64.getDecoder().decode(base64)));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": a PEM block (" + m.group(1) + ") is not valid base64");
            }
        }
        return out;
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
    }

    /** Just enough DER (X.690) to wrap keys and find a SEC1 key's curve. */
    private static final class Der {
        private Der() {
        }

        static byte[] sequence(byte[] content) {
            return tagged(0x30, content);
        }

        static byte[] tagged(int tag, byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
            out.write(tag);
            int n = content.length;
            if (n < 0x80) {
                out.write(n);
            } else {
                int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
                out.write(0x80 | bytes);
                for (int i = bytes - 1; i >= 0; i--) {
                    out.write(n >>> (8 * i));
                }
            }
            out.writeBytes(content);
            return out.toByteArray();
        }

        static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] p : parts) {
                out.writeBytes(p);
            }
            return out.toByteArray();
        }

        /**
         * The curve OID (whole TLV) of an ECPrivateKey (RFC 5915 3): SEQUENCE { version, privateKey OCTET STRING,
         * [0] parameters, [1] publicKey }.
         */
        static byte[] curveOf(byte[] sec1, Path file) throws IOException {
            int[] at = {0};
            int end = enter(sec1, at, 0x30, file);
            skip(sec1, at);
            skip(sec1, at);
            while (at[0] < end) {
                int tag = sec1[at[0]] & 0xff;
                if (tag == 0xa0) {
                    int inner = enter(sec1, at, 0xa0, file);
                    return java.util.Arrays.copyOfRange(sec1, at[0], inner);
                }
                skip(sec1, at);
            }
            throw new IOException(file + ": the EC key does not name its curve; convert it to PKCS#8 (openssl "
                    + "pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
        }

        /** Steps into the TLV at {@code at} (which must have {@code tag}); returns the end of its content. */
        private static int enter(byte[] der, int[] at, int tag, Path file) throws IOException {
            if (at[0] >= der.length || (der[at[0]] & 0xff) != tag) {
                throw new IOException(file + ": not a valid EC private key");
            }
            at[0]++;
            int length = length(der, at);
            return at[0] + length;
        }

        private static void skip(byte[] der, int[] at) {
            at[0]++;
            int length = length(der, at);
            at[0] += length;
        }

        private static int length(byte[] der, int[] at) {
            int first = der[at[0]++] & 0xff;
            if (first < 0x80) {
                return first;
            }
            int n = 0;
            for (int i = 0; i < (first & 0x7f); i++) {
                n = (n << 8) | (der[at[0]++] & 0xff);
            }
            return n;
        }
    }
}
