package io.gatehouse.tests.python;

import static io.gatehouse.tests.python.PythonApps.get;
import static io.gatehouse.tests.python.PythonApps.send;
import static io.gatehouse.tests.python.PythonApps.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.tests.support.MemorySampler;
import io.gatehouse.tests.support.RawHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a real framework app must get right when served by the python runtime over HTTP; the Flask and the Django
 * test serve the same routes (Django's with a trailing slash) and run these cases against one server per class.
 */
abstract class WebFrameworkCases extends PythonServerCase {
    /** The memory a 50 MB upload may add to the master or the worker: well under the body, so no side holds it. */
    static final long UPLOAD_GROWTH_LIMIT_MIB = 24;
    static final long UPLOAD_SIZE = 50L * 1024 * 1024;

    /** The app's path for a route written Flask's way ("/hello/x"). */
    abstract String route(String path);

    /** The framework's name, as its index page greets. */
    abstract String framework();

    /** Sends the upload as the framework's test wants it; returns the response body. */
    abstract HttpResponse<String> upload(long size);

    /** What the upload route answers for {@code size} bytes of the pattern. */
    abstract String uploadAnswer(long size);

    @Test
    void servesTheIndexAndRoutesByPath() {
        assertEquals("Hello from " + framework() + "\n", get(port, route("/")).body());
        HttpResponse<String> r = get(port, route("/hello/gatehouse"));
        assertEquals(200, r.statusCode());
        assertEquals("Hello, gatehouse!\n", r.body());
        assertEquals(404, get(port, route("/no/such/route")).statusCode());
    }

    @Test
    void decodesQueryStrings() {
        HttpResponse<String> r = get(port, route("/query") + "?a=1&b=two&a=3&c=%C3%A9");
        assertEquals("[[\"a\",\"1\"],[\"a\",\"3\"],[\"b\",\"two\"],[\"c\",\"\\u00e9\"]]", compact(r.body()));
    }

    @Test
    void readsAFormPost() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(port, route("/form")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=Ada+Lovelace&city=London")).build());
        assertEquals("name=Ada Lovelace city=London\n", r.body());
    }

    @Test
    void answersJsonWithJson() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(port, route("/json")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"numbers\": [1, 2, 3], \"label\": \"sum\"}")).build());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        assertEquals("{\"received\":{\"label\":\"sum\",\"numbers\":[1,2,3]},\"total\":6}", compact(r.body()));
    }

    @Test
    void setsAndReadsCookies() {
        HttpResponse<String> set = get(port, route("/cookie/set"));
        List<String> cookies = set.headers().allValues("set-cookie");
        assertEquals(2, cookies.size(), cookies.toString());
        assertTrue(cookies.get(0).startsWith("flavour=\"oatmeal raisin\"") || cookies.get(0).startsWith("flavour="),
                cookies.toString());
        assertTrue(cookies.get(1).startsWith("session=abc123") && cookies.get(1).contains("HttpOnly"), cookies.toString());
        String cookieHeader = cookies.get(0).split(";")[0] + "; " + cookies.get(1).split(";")[0];
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(port, route("/cookie/get")))
                .header("Cookie", cookieHeader).build());
        assertEquals("flavour=oatmeal raisin session=abc123\n", r.body());
    }

    @Test
    void redirects() {
        HttpResponse<String> r = get(port, route("/old"));
        assertEquals(302, r.statusCode());
        assertTrue(r.headers().firstValue("location").orElseThrow().endsWith(route("/hello/redirected")),
                r.headers().map().toString());
    }

    @Test
    void streamsAGeneratedResponse() {
        String raw = RawHttp.exchange(port, "GET " + route("/stream") + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertTrue(raw.startsWith("HTTP/1.1 200 OK\r\n") && raw.contains("\r\nTransfer-Encoding: chunked\r\n"), raw);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            expected.append(String.format("row %04d\n", i));
        }
        assertEquals(expected.toString(), get(port, route("/stream")).body());
    }

    @Test
    void passesPercentEncodedUtf8PathsByteExact() {
        HttpResponse<String> r = get(port, route("/raw/caf%C3%A9/%E2%9C%93%20x"));
        assertEquals(200, r.statusCode());
        String hex = hexOf(route("/raw/caf\u00c3\u00a9/\u00e2\u009c\u0093 x"));
        assertTrue(compact(r.body()).contains("\"path_info_latin1_hex\":\"" + hex + "\""), r.body());
        assertTrue(compact(r.body()).contains("\"rest\":\"caf\\u00e9/\\u2713 x"), r.body());
        HttpResponse<String> invalid = get(port, route("/raw/%FF%01end"));
        assertTrue(compact(invalid.body()).contains(hexOf(route("/raw/\u00ff\u0001end"))), invalid.body());
        // NUL is refused before any app sees it, as nginx does: file-system code would truncate at it.
        assertEquals(400, get(port, route("/raw/%00end")).statusCode());
    }

    @Test
    void uploads50MegabytesWithBoundedMemoryOnBothSides() throws Exception {
        long workerPid = Long.parseLong(get(port, route("/pid")).body().trim());
        assertEquals(uploadAnswer(5L << 20), upload(5L << 20).body(), "warm-up upload");
        workerPid = Long.parseLong(get(port, route("/pid")).body().trim());
        try (MemorySampler master = new MemorySampler(server.pid());
                MemorySampler worker = new MemorySampler(workerPid)) {
            assertEquals(uploadAnswer(UPLOAD_SIZE), upload(UPLOAD_SIZE).body());
            master.close();
            worker.close();
            System.out.println(framework() + " 50 MB upload: master " + master + "; worker " + worker);
            assertTrue(master.growthMiB() < UPLOAD_GROWTH_LIMIT_MIB, "master grew too much: " + master);
            assertTrue(worker.growthMiB() < UPLOAD_GROWTH_LIMIT_MIB, "worker grew too much: " + worker);
        }
    }

    static String compact(String json) {
        return json.replace(", ", ",").replace(": ", ":").trim();
    }

    static String hexOf(String nativeString) {
        StringBuilder hex = new StringBuilder();
        for (char c : nativeString.toCharArray()) {
            hex.append(String.format("%02x", (int) c));
        }
        return hex.toString();
    }
}
