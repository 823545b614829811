package io.gatehouse.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/**
 * A PATH_INFO (under an app's mount) that tries to reach {@code secret.txt} beside the app's root, for the tests of
 * the static and cgi runtimes: each must be answered 404 without a byte of the secret. Those spelled to leave the
 * root are refused, with one log line giving {@code refusal}; the others (decoded once, they are file names that
 * do not exist) are simply not found and logged by nobody.
 *
 * @param label    what the path tries, for the test's name
 * @param pathInfo the PATH_INFO as a native string (bytes as ISO-8859-1), as a front server or a client sends it
 * @param refusal  the reason the log line gives, or null for a path that is merely not found
 */
public record HostilePath(String label, String pathInfo, String refusal) {
    /** The file outside the root that none of these paths may reach. */
    public static final String SECRET = "secret.txt";

    @Override
    public String toString() {
        return label;
    }

    /**
     * Asserts that {@code answer} refused this path as the table says: 404 without a byte of the secret (whose text
     * holds "outside"), and one log line from {@code app} giving the refusal, or none for a path merely not found.
     */
    public void assertRefused(Answer answer, List<String> warnings, String app) {
        assertEquals(404, answer.status(), label);
        assertFalse(answer.text().contains("outside"), answer.text());
        if (refusal == null) {
            assertEquals(List.of(), warnings, "merely not found");
            return;
        }
        assertEquals(1, warnings.size(), warnings.toString());
        String line = warnings.get(0);
        assertTrue(line.startsWith("app '" + app + "': refused the path '"), line);
        assertTrue(line.endsWith(": " + refusal + "; answered 404"), line);
        assertFalse(line.contains("\0"), "the NUL is escaped: " + line);
    }

    /** The table. */
    public static List<HostilePath> all() {
        return List.of(
                new HostilePath("a '..' segment", "/../secret.txt", "a '..' segment"),
                new HostilePath("'..' below a directory", "/sub/../../secret.txt", "a '..' segment"),
                new HostilePath("'..' at the end", "/sub/..", "a '..' segment"),
                new HostilePath("'..' that would stay inside", "/sub/../sub/", "a '..' segment"),
                new HostilePath("a percent-encoded '..', decoded by the front server", decoded("/%2e%2e/secret.txt"),
                        "a '..' segment"),
                new HostilePath("a backslash", "/..\\secret.txt", "a backslash"),
                new HostilePath("backslashes only", "/sub\\..\\..\\secret.txt", "a backslash"),
                new HostilePath("a NUL byte", "/secret.txt\0.txt", "a NUL byte"),
                new HostilePath("a NUL byte after '..'", "/..\0/secret.txt", "a NUL byte"),
                new HostilePath("a percent-encoded '..' left encoded", "/%2e%2e/secret.txt", null),
                new HostilePath("an encoded slash", "/..%2fsecret.txt", null),
                new HostilePath("a double-encoded '..'", "/%252e%252e/secret.txt", null),
                new HostilePath("double-encoded, decoded once by the front server", decoded("/%252e%252e/secret.txt"),
                        null),
                new HostilePath("an overlong UTF-8 '.'", "/\u00c0\u00ae\u00c0\u00ae/secret.txt", null),
                new HostilePath("an absolute path after the mount", "//etc/passwd", null));
    }

    /** {@code uri} percent-decoded byte for byte into a native string, as a front server decodes PATH_INFO. */
    private static String decoded(String uri) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '%') {
                out.append((char) Integer.parseInt(uri.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
