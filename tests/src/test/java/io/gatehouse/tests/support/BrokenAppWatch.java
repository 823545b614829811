package io.gatehouse.tests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches a server whose app at /broken keeps failing to load while another app serves /: the one must answer 503
 * with a Retry-After, the other 200, throughout.
 */
public final class BrokenAppWatch {
    /** Watching 20 s covers the attempts at 0, 1, 3, 7 and 15 s and stays far from the 6th, at 31 s. */
    public static final int SECONDS = 20;

    private BrokenAppWatch() {
    }

    /**
     * For {@link #SECONDS}, every 200 ms: GET / must answer 200, GET /broken 503 with a Retry-After. Returns each
     * Retry-After, in seconds.
     */
    public static List<Long> watch(int port) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        List<Long> retryAfter = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
        while (System.nanoTime() < end) {
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), "the other app is unaffected");
            HttpResponse<String> broken = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + port + "/broken")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, broken.statusCode());
            retryAfter.add(Long.parseLong(broken.headers().firstValue("Retry-After").orElseThrow()));
            Thread.sleep(200);
        }
        return retryAfter;
    }
}
