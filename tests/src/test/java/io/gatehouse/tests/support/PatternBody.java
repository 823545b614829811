package io.gatehouse.tests.support;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A request body of any size generated as it is written (a linear congruential sequence: constant memory on the
 * client too), with the SHA-256 of what was written, for uploads that must arrive whole and stream on the server.
 */
public final class PatternBody {
    private PatternBody() {
    }

    /** Writes {@code size} bytes (a multiple of 64 KiB) to {@code out}; returns their SHA-256 in hex. */
    public static String write(OutputStream out, long size) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        byte[] block = new byte[1 << 16];
        long seed = 0x9e3779b97f4a7c15L;
        for (long sent = 0; sent < size; sent += block.length) {
            for (int i = 0; i < block.length; i += 8) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                long v = seed;
                for (int k = 0; k < 8; k++) {
                    block[i + k] = (byte) (v >>> (k * 8));
                }
            }
            sha.update(block);
            out.write(block);
        }
        out.flush();
        return HexFormat.of().formatHex(sha.digest());
    }
}
