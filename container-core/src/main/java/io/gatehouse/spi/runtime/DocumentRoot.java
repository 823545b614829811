package io.gatehouse.spi.runtime;

import io.gatehouse.spi.exchange.Exchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * A directory that files are served or scripts run from, and the one check of request paths against it (static and
 * cgi runtimes). PATH_INFO says which file; it never takes a request out of the directory, whoever sent it: a front
 * server, or a client speaking uwsgi, SCGI or FastCGI to the listener itself with vars of its own choosing.
 *
 * <ul>
 *   <li>PATH_INFO is decoded once (by the front server or the listener) and never again: its bytes are read as
 *       UTF-8, so {@code %2e%2e} or {@code %252e%252e} arriving in it is a file name, not a parent.</li>
 *   <li>A path holding a NUL, a backslash or a {@code ..} segment is refused with 404, as a path that names
 *       nothing here: it can only be an attempt to leave the directory, and the answer tells the client nothing.</li>
 *   <li>A file (or a directory on the way) that is a symbolic link out of the directory is refused with 403, as
 *       nginx's {@code disable_symlinks} and Apache without {@code FollowSymLinks} do, unless the app sets
 *       {@code follow-symlinks: true}; links that stay inside are followed.</li>
 * </ul>
 * Each refusal is logged in one line naming the app, the client and the path.
 */
public final class DocumentRoot {
    private static final Logger LOG = Logger.getLogger(DocumentRoot.class.getName());

    /** Why a request path was refused, and the status that answers it. */
    public record Refusal(int status, String reason) {
        /** A path that tries to leave the root by its spelling: 404. */
        public static Refusal hostile(String reason) {
            return new Refusal(404, reason);
        }

        /** A file that leaves the root through a symbolic link: 403. */
        public static final Refusal OUTSIDE = new Refusal(403,
                "a symbolic link leads out of the root (follow-symlinks is off)");
    }

    private final Path root;
    private final boolean followSymlinks;

    /** The directory {@code dir} (resolved to its real path) served with or without following links out of it. */
    public DocumentRoot(Path dir, boolean followSymlinks) throws IOException {
        this.root = dir.toRealPath();
        this.followSymlinks = followSymlinks;
    }

    /** The root's real path. */
    public Path path() {
        return root;
    }

    /**
     * A native string (its bytes as ISO-8859-1) as the text its bytes spell in UTF-8: how a PATH_INFO names a file,
     * and how a value reaches a process environment with its bytes unchanged (the JVM encodes those as UTF-8).
     */
    public static String utf8(String nativeString) {
        for (int i = 0; i < nativeString.length(); i++) {
            if (nativeString.charAt(i) > 0x7f) {
                return new String(nativeString.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return nativeString;
    }

    /** Why {@code path} (decoded) could only be meant to leave a root, or null: a NUL, a backslash, a '..'. */
    public static String hostile(String path) {
        if (path.indexOf('\0') >= 0) {
            return "a NUL byte";
        }
        if (path.indexOf('\\') >= 0) {
            return "a backslash";
        }
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            end = end < 0 ? path.length() : end;
            if (end - start == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
                return "a '..' segment";
            }
            start = end + 1;
        }
        return null;
    }

    /**
     * The file {@code path} (decoded, and not {@link #hostile}) names under the root, links not followed; null if it
     * would be outside, which a path that is not hostile cannot be.
     */
    public Path lexical(String path) {
        int from = 0;
        while (from < path.length() && path.charAt(from) == '/') {
            from++;
        }
        Path file = root.resolve(path.substring(from)).normalize();
        return file.startsWith(root) ? file : null;
    }

    /** True if {@code real} (a real path: links followed) may be served: it is inside the root, or links may leave. */
    public boolean admits(Path real) {
        return followSymlinks || real.startsWith(root);
    }

    /** Answers {@code refusal} and logs it in one line: the app, the client, the path (control bytes escaped). */
    public static void refuse(Exchange exchange, String path, Refusal refusal) {
        LOG.warning("app '" + exchange.appName() + "': refused the path '" + printable(path) + "' from "
                + exchange.peer() + ": " + refusal.reason() + "; answered " + refusal.status());
        exchange.response().error(refusal.status(), null);
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200) + 8);
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return s.length() > 200 ? out.append("...").toString() : out.toString();
    }
}
