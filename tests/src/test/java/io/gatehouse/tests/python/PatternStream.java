package io.gatehouse.tests.python;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** {@code size} bytes of a fixed pseudo-random pattern, generated as read, so a large upload costs no memory. */
final class PatternStream extends InputStream {
    private final long size;
    private long position;

    PatternStream(long size) {
        this.size = size;
    }

    private static byte at(long i) {
        return (byte) (i * 131 + (i >>> 9) * 7 + (i >>> 17));
    }

    @Override
    public int read() {
        return position < size ? at(position++) & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(len, size - position);
        for (int i = 0; i < n; i++) {
            b[off + i] = at(position++);
        }
        return n;
    }

    /** The SHA-256 of the whole pattern, in hex. */
    static String sha256(long size) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            PatternStream in = new PatternStream(size);
            for (int n; (n = in.read(buf, 0, buf.length)) > 0; ) {
                digest.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
