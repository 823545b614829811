package io.gatehouse.spi.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.core.testing.HostileHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseFieldsTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.gatehouse.core.testing.HostileHead#all")
    void refusesEveryHostileHeadSayingWhy(HostileHead head) {
        String problem = ResponseFields.problem(head.status(), head.reason(), head.headers());
        assertNotNull(problem, head.label());
        assertTrue(problem.contains(head.problem()), problem);
        assertTrue(problem.chars().noneMatch(c -> c < 0x20), "the problem is one printable line: " + problem);
    }

    @Test
    void acceptsWhatHttpAllows() {
        Headers fine = Headers.of("Content-Type", "text/html; charset=utf-8", "Set-Cookie", "a=1; Path=/",
                "X-Tab", "a\tb", "X-Obs-Text", "caf\u00e9 \u00ff", "X-Empty", "", "!#$%&'*+-.^_`|~09azAZ", "token");
        assertNull(ResponseFields.problem(200, null, fine));
        assertNull(ResponseFields.problem(200, "All Good\t(really) \u00e9", fine));
        assertNull(ResponseFields.problem(404, "", null));
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 204, 304, 418, 599})
    void acceptsEveryFinalStatus(int status) {
        assertNull(ResponseFields.problem(status, null, new Headers()));
    }

    @Test
    void refusesANullNameOrValue() {
        assertEquals("header field name null is not a token",
                ResponseFields.problem(200, null, new Headers().add(null, "x")));
        assertEquals("header field X has no value", ResponseFields.problem(200, null, new Headers().add("X", null)));
    }

    @Test
    void noEncoderCanBeHandedAHeadThatCouldSplitTheResponse() {
        EnvironHead request = new EnvironHead(new Environ(), 0, 0, false);
        for (HostileHead head : HostileHead.all()) {
            assertThrows(AssertionError.class, () -> new ResponseHead(request, head.status(), head.reason(),
                    head.headers(), -1, false), head.label());
        }
    }
}
