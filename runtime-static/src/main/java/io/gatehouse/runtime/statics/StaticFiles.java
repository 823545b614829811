package io.gatehouse.runtime.statics;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.Exchange;
import io.gatehouse.spi.exchange.Response;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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

    private final Path root;
    private final StaticOptions options;
    private final String cacheControl;

    StaticFiles(Path root, StaticOptions options) {
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
        Path file = locate(pathInfo);
        if (file == null) {
            response.error(404, null);
            return;
        }
        try {
            if (Files.isDirectory(file)) {
                if (!pathInfo.endsWith("/")) {
                    redirectToDirectory(env, response);
                    return;
                }
                file = index(file);
                if (file == null) {
                    response.error(404, null);
                    return;
                }
            }
            Path real = file.toRealPath();
            if (!options.followSymlinks() && !real.startsWith(root)) {
                response.error(404, null);
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

    /** The file PATH_INFO names (its bytes as UTF-8) inside the root, or null if it would leave the root. */
    private Path locate(String pathInfo) {
        String path = new String(pathInfo.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            return null;
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                return null;
            }
        }
        Path p = root.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
        return p.startsWith(root) ? p : null;
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

    private static void redirectToDirectory(Environ env, Response response) {
        String query = env.getOrDefault(EnvironKeys.QUERY_STRING, "");
        String location = env.getOrDefault(EnvironKeys.SCRIPT_NAME, "") + env.get(EnvironKeys.PATH_INFO) + "/"
                + (query.isEmpty() ? "" : "?" + query);
        response.error(301, new Headers().add("Location", location));
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
