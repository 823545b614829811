package io.gatehouse.tests.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gatehouse.tests.frontend.FrontServerCase.Quirk;
import io.gatehouse.tests.frontend.FrontServerCases;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The FastCGI listener's answers to requests over its limits, and a response cut short, as clients of real web
 * servers see them, beside the common front-server cases: 413 for an upload over max-body-size (also from Apache,
 * which sends the whole body before it reads the answer), 431 for headers over max-params-size, and a truncated body
 * when the app fails after its head. The rows route /limited/ to a listener with those limits.
 */
abstract class FcgiFrontServerCases extends FrontServerCases {
    @Test
    void requestsOverTheLimitsAreAnswered413And431AndTheListenerServesOn() throws Exception {
        HttpResponse<byte[]> big = send(request("/limited/up").POST(HttpRequest.BodyPublishers.ofByteArray(
                new byte[20_000_000])));
        assertEquals(413, big.statusCode(), failure(big));
        HttpResponse<byte[]> fat = send(request("/limited/h").header("X-Fat", "f".repeat(5000)));
        assertEquals(431, fat.statusCode(), failure(fat));
        HttpResponse<byte[]> fine = send(request("/limited/ok"));
        assertEquals(404, fine.statusCode(), "answered (no app is mounted there): " + failure(fine));
    }

    @Test
    void aResponseThatFailsAfterItsHeadIsCutShort() throws Exception {
        if (row.has(Quirk.TAKES_A_CLOSE_FOR_THE_END)) {
            HttpResponse<byte[]> r = send(request("/fail"));
            assertEquals(100_000, r.body().length, "the front server ends the response where the app failed");
            return;
        }
        assertThrows(IOException.class, () -> send(request("/fail")), "a body cut short must not look complete");
    }
}
