package io.gatehouse.runtime.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.config.AppConfig;
import io.gatehouse.config.ConfigException;
import io.gatehouse.core.pool.PoolSettings;
import io.gatehouse.core.pool.WorkerPool;
import io.gatehouse.core.router.Router;
import io.gatehouse.core.testing.Answer;
import io.gatehouse.core.testing.CheckedOptions;
import io.gatehouse.core.testing.LocalExchangeServer;
import io.gatehouse.core.testing.LogCapture;
import io.gatehouse.core.testing.Requests;
import io.gatehouse.spi.exchange.BodyChunk;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.LastBodyChunk;
import io.gatehouse.spi.runtime.RuntimeContext;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JvmRuntimeTest {
    final List<AutoCloseable> open = new ArrayList<>();
    WorkerPool pool;

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    LocalExchangeServer serve(String appClass, String extraYaml) throws Exception {
        String classes = Path.of("target/test-classes").toAbsolutePath().toString();
        String yaml = """
                listeners: [{protocol: http, bind: "127.0.0.1:0"}]
                apps:
                  - name: t
                    runtime: jvm
                    mount: /m
                    class: %s
                    classpath: [%s]
                %s
                """.formatted(appClass, classes, extraYaml.indent(4));
        CheckedOptions<AppConfig, JvmOptions> app = CheckedOptions.firstApp(new JvmRuntime(), yaml,
                Path.of("test.yaml"));
        pool = new WorkerPool(PoolSettings.of(app.config()), new JvmRuntime().prepare(app.config(), app.options(),
                new RuntimeContext(null, Path.of("target"))));
        pool.start().get(10, java.util.concurrent.TimeUnit.SECONDS);
        open.add(() -> {
            pool.kill();
            pool.awaitExit(System.nanoTime() + 5_000_000_000L);
        });
        LocalExchangeServer server = new LocalExchangeServer(Router.builder().mount(List.of(), "/m", pool).build());
        open.add(server);
        return server;
    }

    static String name(Class<?> c) {
        return c.getName();
    }

    @Test
    void loadsTheAppWithItsSettingsAndMount() throws Exception {
        LocalExchangeServer s = serve(name(TestApps.Hello.class), "settings: {greeting: hi}");
        Answer a = s.connect().send(Requests.get("/m/x")).answer();
        assertEquals(200, a.status());
        assertEquals("hi from /m/x", a.text());
        assertEquals(12, a.head().contentLength(), "a body that fits the buffer gets a length");
    }

    @Test
    void anExceptionBeforeTheHeadIsA500() throws Exception {
        LocalExchangeServer s = serve(name(TestApps.FailsEarly.class), "");
        assertEquals(500, s.connect().send(Requests.get("/m")).answer().status());
    }

    @Test
    void anExceptionAfterTheHeadAbortsTheConnection() throws Exception {
        LocalExchangeServer s = serve(name(TestApps.FailsLate.class), "");
        Answer a = s.connect().send(Requests.get("/m")).answer();
        assertEquals(200, a.status());
        assertEquals("partial", a.text());
        assertEquals(Answer.Ending.CLOSED, a.ending());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "later=1"})
    void aHeadThatCouldSplitTheResponseIsA500WithOneLineNamingTheApp(String query) throws Exception {
        LocalExchangeServer s = serve(name(TestApps.EchoesIntoHead.class), "");
        EnvironHead head = get("/m", query);
        head.environ().put("HTTP_X_ECHO", "1\r\nX-Injected: yes");
        try (LogCapture app = LogCapture.of(JvmCall.class); LogCapture responses = LogCapture.responses()) {
            Answer a = s.connect().send(head).answer();
            assertEquals(500, a.status());
            assertEquals(null, a.header("X-Echo"));
            assertFalse(a.text().contains("Injected"), a.text());
            List<String> lines = new ArrayList<>(app.warnings());
            lines.addAll(responses.warnings());
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("app 't'"), lines.get(0));
        }
    }

    @Test
    void anAppThatNeverStartsIsA500() throws Exception {
        LocalExchangeServer s = serve(name(TestApps.ForgetsToStart.class), "");
        assertEquals(500, s.connect().send(Requests.get("/m")).answer().status());
    }

    @Test
    void harakiriAnswers504AndReplacesTheStuckThread() throws Exception {
        LocalExchangeServer s = serve(name(TestApps.Sleeper.class), "harakiri: 1s\nthreads: 1");
        LocalExchangeServer.Client stuck = s.connect().send(get("/m", "ms=60000"));
        Thread.sleep(1200);
        pool.tick();
        assertEquals(504, stuck.answer().status());
        Answer next = s.connect().send(get("/m", "ms=1")).answer();
        assertEquals("slept 1", next.text(), "a fresh thread serves the next request");
    }

    @Test
    void poolThreadsThatYieldedUnderABacklogParkOnceItIsGone() throws Exception {
        Set<Thread> earlier = Thread.getAllStackTraces().keySet(); // other tests' abandoned threads are named alike
        LocalExchangeServer s = serve(name(TestApps.Sleeper.class), "threads: 4");
        for (int round = 0; round < 20; round++) {
            List<LocalExchangeServer.Client> burst = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                burst.add(s.connect().send(get("/m", "ms=0")));
            }
            for (LocalExchangeServer.Client c : burst) {
                assertEquals("slept 0", c.answer().text());
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<Long> poolThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("app-t-w") && !earlier.contains(t)).map(Thread::getId).toList();
        assertEquals(4, poolThreads.size(), "the pool's threads");
        Thread.sleep(100);
        long before = poolThreads.stream().mapToLong(mx::getThreadCpuTime).sum();
        Thread.sleep(1000);
        long spent = poolThreads.stream().mapToLong(mx::getThreadCpuTime).sum() - before;
        assertTrue(spent < 100_000_000L, "idle pool threads spent " + spent / 1_000_000 + " ms of CPU in a second");
    }

    @Test
    void readsTheRequestBodyAsItStreams() throws Exception {
        LocalExchangeServer s = serve(name(TestApps.Counter.class), "");
        EnvironHead head = Requests.head("POST", "/m", 300_000);
        LocalExchangeServer.Client c = s.connect().send(head);
        for (int i = 0; i < 2; i++) {
            c.send(new BodyChunk(Unpooled.wrappedBuffer(new byte[100_000]), 0));
        }
        c.send(new LastBodyChunk(Unpooled.wrappedBuffer(new byte[100_000]), 0));
        assertEquals("300000", c.answer().text());
    }

    @Test
    void middlewareWrapsTheAppOutermostFirst() throws Exception {
        LocalExchangeServer s = serve(name(TestApps.Hello.class), "middleware: [" + name(TestApps.Tag.class) + ", "
                + name(TestApps.Tag.class) + "]");
        String order = s.connect().send(Requests.get("/m")).answer().header("X-Order");
        String[] tags = order.split(",");
        assertEquals(2, tags.length, order);
        assertTrue(tags[0].compareTo(tags[1]) > 0, "the outer middleware was made last, as it wraps the inner: "
                + order);
    }

    @Test
    void aMissingClassIsAFailedStartNamingIt() throws Exception {
        LocalExchangeServer s = serve("no.such.App", "");
        io.gatehouse.core.pool.PoolStatus status = pool.status();
        assertEquals("crashing", status.state());
        assertEquals(1, status.failedStarts());
        assertTrue(status.lastFailure().contains("no.such.App"), status.lastFailure());
        Answer a = s.connect().send(Requests.get("/m")).answer();
        assertEquals(503, a.status());
        assertEquals("1", a.header("Retry-After"), "the next attempt is about a second away");
    }

    @Test
    void anInitThatThrowsIsAFailedStartRetriedWithBackoff() throws Exception {
        System.setProperty(TestApps.FailsInit.ATTEMPTS, "0");
        serve(name(TestApps.FailsInit.class), "");
        assertEquals(1, pool.status().failedStarts());
        Thread.sleep(1100);
        pool.tick();
        long end = System.nanoTime() + 2_000_000_000L;
        while (pool.status().failedStarts() < 2 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(2, pool.status().failedStarts(), "retried once after the first second");
        assertEquals("2", System.getProperty(TestApps.FailsInit.ATTEMPTS), "init ran once per attempt");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aBodilessRequestRunsOnTheIoThreadOnlyForANonBlockingAppAndWithTheAppsClassLoader(boolean nonBlocking)
            throws Exception {
        LocalExchangeServer s = serve(name(TestApps.WhereAmI.class), "non-blocking: " + nonBlocking);
        String[] where = s.connect().send(Requests.get("/m")).answer().text().split("\\|");
        assertEquals(!nonBlocking, where[0].startsWith("app-t-w"), "ran on " + where[0]);
        assertEquals("app:t", where[1]);
    }

    @Test
    void aNonBlockingAppReadsABodyStillOnItsWayOnAnAppThread() throws Exception {
        LocalExchangeServer s = serve(name(TestApps.WhereAmI.class), "non-blocking: true");
        LocalExchangeServer.Client c = s.connect().send(Requests.head("POST", "/m", 5));
        Thread.sleep(100);
        c.send(new LastBodyChunk(Unpooled.wrappedBuffer(new byte[5]), 0));
        String[] where = c.answer().text().split("\\|");
        assertTrue(where[0].startsWith("app-t-w"), "the body was not there at dispatch: " + where[0]);
        assertEquals("5", where[2]);
    }

    @Test
    void aNonBlockingAppWritesMoreThanTheSocketTakesWithoutWaitingOnTheIoThread() throws Exception {
        LocalExchangeServer s = serve(name(TestApps.WhereAmI.class), "non-blocking: true");
        Answer a = s.connect().send(get("/m", "bytes=8000000")).answer();
        assertEquals(200, a.status());
        assertFalse(a.text().startsWith("app-t-"), "ran on the I/O thread");
        assertTrue(a.body().length > 8_000_000, "the whole body arrived: " + a.body().length);
    }

    @Test
    void nonBlockingWithHarakiriIsAConfigError() throws Exception {
        String yaml = "apps: [{name: t, runtime: jvm, class: x.Y, harakiri: 5s, non-blocking: true}]";
        ConfigException e = assertThrows(ConfigException.class,
                () -> CheckedOptions.firstApp(new JvmRuntime(), yaml, Path.of("test.yaml")));
        assertTrue(e.getMessage().contains("apps[0].non-blocking: a non-blocking app runs on the I/O threads"),
                e.getMessage());
    }

    static EnvironHead get(String path, String query) {
        EnvironHead h = Requests.get(path);
        h.environ().put("QUERY_STRING", query);
        return h;
    }
}
