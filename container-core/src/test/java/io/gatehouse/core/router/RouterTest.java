package io.gatehouse.core.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.core.testing.Answer;
import io.gatehouse.core.testing.LocalExchangeServer;
import io.gatehouse.core.testing.Requests;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Exchange;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {

    /** Answers "app SCRIPT_NAME|PATH_INFO". */
    record Echo(String appName) implements Dispatcher {
        @Override
        public void dispatch(Exchange exchange) {
            String text = appName + " " + exchange.environ().get("SCRIPT_NAME") + "|"
                    + exchange.environ().get("PATH_INFO");
            exchange.response().head(200, null, new Headers(), text.length());
            exchange.response().chunk(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1), false);
            exchange.response().end();
        }
    }

    static String route(Router router, EnvironHead head) {
        try (LocalExchangeServer server = new LocalExchangeServer(router);
                LocalExchangeServer.Client client = server.connect()) {
            Answer a = client.send(head).answer();
            return a.status() == 200 ? a.text() : Integer.toString(a.status());
        }
    }

    static EnvironHead host(String host, String path) {
        EnvironHead h = Requests.get(path);
        h.environ().put("HTTP_HOST", host);
        return h;
    }

    final Router router = Router.builder()
            .mount(List.of(), "/", new Echo("root"))
            .mount(List.of(), "/app", new Echo("app"))
            .mount(List.of(), "/app/api", new Echo("api"))
            .build();

    @Test
    void routesByLongestMountOnSegmentBoundaries() {
        assertEquals("api /app/api|/v1", route(router, Requests.get("/app/api/v1")));
        assertEquals("app /app|/x", route(router, Requests.get("/app/x")));
        assertEquals("app /app|", route(router, Requests.get("/app")));
        assertEquals("app /app|/", route(router, Requests.get("/app/")));
    }

    @Test
    void neverMatchesAMountInsideASegment() {
        assertEquals("root |/application", route(router, Requests.get("/application")));
        assertEquals("app /app|/apix", route(router, Requests.get("/app/apix")));
    }

    @Test
    void rootMountSeesTheWholePath() {
        assertEquals("root |/", route(router, Requests.get("/")));
        assertEquals("root |/other/x", route(router, Requests.get("/other/x")));
    }

    @Test
    void joinsFrontServerScriptNameAndPathInfoBeforeMatching() {
        EnvironHead h = Requests.get("/x");
        h.environ().put("SCRIPT_NAME", "/app");
        assertEquals("app /app|/x", route(router, h));
    }

    @Test
    void answers404WhenNoMountMatches() {
        Router onlyApp = Router.builder().mount(List.of(), "/app", new Echo("app")).build();
        assertEquals("404", route(onlyApp, Requests.get("/elsewhere")));
        assertEquals("404", route(onlyApp, Requests.get("/application")));
    }

    @Test
    void picksTheVirtualHostByHostIgnoringPortCaseAndTrailingDot() {
        Router vhosts = Router.builder()
                .mount(List.of(), "/", new Echo("default"))
                .mount(List.of("api.example.com"), "/", new Echo("api"))
                .mount(List.of("*.shop.example"), "/", new Echo("shop"))
                .build();
        assertEquals("api |/", route(vhosts, host("API.example.com:8080", "/")));
        assertEquals("api |/", route(vhosts, host("api.example.com.", "/")));
        assertEquals("shop |/", route(vhosts, host("eu.shop.example", "/")));
        assertEquals("shop |/", route(vhosts, host("a.b.shop.example", "/")));
        assertEquals("default |/", route(vhosts, host("shop.example", "/")));
        assertEquals("default |/", route(vhosts, host("unknown.test", "/")));
    }

    @Test
    void usesServerNameWhenThereIsNoHost() {
        Router vhosts = Router.builder().mount(List.of(), "/", new Echo("default"))
                .mount(List.of("api.example.com"), "/", new Echo("api")).build();
        EnvironHead h = Requests.get("/");
        Environ env = h.environ();
        env.remove("HTTP_HOST");
        env.put("SERVER_NAME", "api.example.com");
        assertEquals("api |/", route(vhosts, h));
    }

    @Test
    void hostnameParsingHandlesIpv6Literals() {
        Environ env = new Environ();
        env.put("HTTP_HOST", "[::1]:8080");
        assertEquals("[::1]", Router.hostName(env));
    }

    @Test
    void refusesTheSameMountTwiceOnOneHost() {
        Router.Builder b = Router.builder().mount(List.of("a.test"), "/x", new Echo("one"));
        assertThrows(IllegalArgumentException.class, () -> b.mount(List.of("a.test"), "/x", new Echo("two")));
    }
}
