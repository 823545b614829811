package io.gatehouse.runtime.statics;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.Response;
import io.gatehouse.spi.runtime.DocumentRoot;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Answers one request from a directory: lookup, validators, conditional requests and ranges (RFC 9110 13, 14). */
final class StaticFiles {
    private static final Logger LOG = Logger.getLogger(StaticFiles.class.getName());

    private final DocumentRoot root;
    private final StaticOptions options;
    private final String cacheControl;

    StaticFiles(DocumentRoot root, StaticOptions options) {
        this.root = root;
        this.options = options;
        long maxAge = options.maxAge().toSeconds();
        this.cacheControl = maxAge > 0 ? "public, max-age=" + maxAge : null;
    }

    void serve(Exchange exchange) {
        Environ env = exchange.environ();
        Response response = exchange.response();
        String method = env.get(EnvironKeys.REQUEST_METHOD);
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.error(405, new Headers().add("Allow", "GET, HEAD"));
            return;
        }
        String pathInfo = env.getOrDefault(EnvironKeys.PATH_INFO, "");
        String path = DocumentRoot.utf8(pathInfo);
        String hostile = DocumentRoot.hostile(path);
        Path file = hostile == null ? root.lexical(path) : null;
        if (file == null) {
            DocumentRoot.refuse(exchange, path, DocumentRoot.Refusal.hostile(hostile != null ? hostile
                    : "a path outside the root"));
            return;
        }
        try {
            Path real = file.toRealPath();
            if (Files.isDirectory(real) && root.admits(real)) {
                if (!pathInfo.endsWith("/")) {
                    redirectToDirectory(env, response);
                    return;
                }
                Path index = index(real);
                if (index == null) {
                    response.error(404, null);
                    return;
                }
                real = index.toRealPath();
            }
            if (!root.admits(real)) {
                DocumentRoot.refuse(exchange, path, DocumentRoot.Refusal.OUTSIDE);
                return;
            }
            BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                response.error(404, null);
                return;
            }
            send(env, response, real, attrs);
        } catch (NoSuchFileException e) {
            response.error(404, null);
        } catch (AccessDeniedException e) {
            response.error(403, null);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "static: cannot serve " + file, e);
            response.error(500, null);
        }
    }

    private Path index(Path dir) {
        for (String name : options.index()) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * 301 to the directory's path with its slash. The path is the decoded one, so it is percent-encoded again (a
     * CR LF that came in as %0D%0A goes back out as %0D%0A, never into the head); the query string keeps its own
     * encoding but for bytes a URI cannot hold.
     */
    private static void redirectToDirectory(Environ env, Response response) {
        String query = env.getOrDefault(EnvironKeys.QUERY_STRING, "");
        String location = encode(env.getOrDefault(EnvironKeys.SCRIPT_NAME, "") + env.get(EnvironKeys.PATH_INFO), true)
                + "/" + (query.isEmpty() ? "" : "?" + encode(query, false));
        response.error(301, new Headers().add("Location", location));
    }

    /** A native string's bytes with those a URI path (or query) cannot hold as they are percent-encoded. */
    static String encode(String value, boolean path) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean keep = c > 0x20 && c < 0x7f && c != '"' && c != '<' && c != '>' && c != '\\' && c != '^'
                    && c != '`' && c != '{' && c != '|' && c != '}' && c != '#'
                    && !(path && (c == '%' || c == '?' || c == '[' || c == ']'));
            if (!keep && out == null) {
                out = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            if (out != null) {
                if (keep) {
                    out.append(c);
                } else {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                }
            }
        }
        return out == null ? value : out.toString();
    }

    private void send(Environ env, Response response, Path file, BasicFileAttributes attrs) throws IOException {
        long size = attrs.size();
        long modified = attrs.lastModifiedTime().toMillis();
        String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(modified) + "\"";
        Headers headers = new Headers()
                .add("Content-Type", MediaTypes.of(file.getFileName().toString()))
                .add("ETag", etag)
                .add("Last-Modified", HttpDates.format(modified))
                .add("Accept-Ranges", "bytes");
        if (cacheControl != null) {
            headers.add("Cache-Control", cacheControl);
        }
        if (Conditions.notModified(env, etag, modified)) {
            headers.remove("Content-Type");
            headers.remove("Accept-Ranges");
            response.head(304, null, headers, 0);
            response.end();
            return;
        }
        ByteRange range = Conditions.rangeOf(env, etag, modified, size);
        if (range == ByteRange.UNSATISFIABLE) {
            response.error(416, new Headers().add("Content-Range", "bytes */" + size));
            return;
        }
        int status = 200;
        long start = 0;
        long length = size;
        if (range != null) {
            status = 206;
            start = range.first();
            length = range.length();
            headers.add("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size);
        }
        headers.add("Content-Length", Long.toString(length));
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        if (!response.head(status, null, headers, length) || length == 0) {
            channel.close();
        } else {
            response.file(channel, start, length);
        }
        response.end();
    }
}
