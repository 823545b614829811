package io.gatehouse.runtime.jvm;

import io.gatehouse.app.App;
import io.gatehouse.app.AppContext;
import io.gatehouse.app.Environ;
import io.gatehouse.app.Headers;
import io.gatehouse.app.Middleware;
import io.gatehouse.app.Responder;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** JVM apps the runtime tests load by class name. */
final class TestApps {
    private TestApps() {
    }

    static void text(Responder r, int status, String text) throws Exception {
        r.start(status, Headers.of("Content-Type", "text/plain"));
        r.body().write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Answers what it was told at init and its path. */
    public static final class Hello implements App {
        private String greeting = "unset";
        private String mount;

        @Override
        public void init(AppContext context) {
            greeting = context.settings().getOrDefault("greeting", "hello");
            mount = context.mount();
        }

        @Override
        public void call(Environ environ, Responder responder) throws Exception {
            text(responder, 200, greeting + " from " + mount + environ.get("PATH_INFO"));
        }
    }

    /**
     * Echoes the request's X-Echo field into a response field, as a careless app does: through start() when the
     * query string is empty, else into the headers after start(), which the listener then checks.
     */
    public static final class EchoesIntoHead implements App {
        @Override
        public void call(Environ environ, Responder responder) throws Exception {
            Headers headers = Headers.of("Content-Type", "text/plain");
            if (environ.get("QUERY_STRING").isEmpty()) {
                headers.add("X-Echo", environ.get("HTTP_X_ECHO"));
                responder.start(200, headers);
            } else {
                responder.start(200, headers);
                headers.add("X-Echo", environ.get("HTTP_X_ECHO"));
            }
            responder.body().write("Injected body".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Throws before sending anything. */
    public static final class FailsEarly implements App {
        @Override
        public void call(Environ environ, Responder responder) {
            throw new IllegalStateException("boom before the head");
        }
    }

    /** Sends part of a body, then throws. */
    public static final class FailsLate implements App {
        @Override
        public void call(Environ environ, Responder responder) throws Exception {
            responder.start(200, new Headers());
            OutputStream out = responder.body();
            out.write("partial".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            throw new IllegalStateException("boom after the head");
        }
    }

    /**
     * Throws from init, counting attempts in a system property (each attempt loads the class afresh, in a new class
     * loader, so a static field would start from zero every time).
     */
    public static final class FailsInit implements App {
        static final String ATTEMPTS = "gatehouse.test.failsinit.attempts";

        @Override
        public void init(io.gatehouse.app.AppContext context) {
            synchronized (System.class) {
                System.setProperty(ATTEMPTS, Integer.toString(Integer.getInteger(ATTEMPTS, 0) + 1));
            }
            throw new IllegalStateException("cannot reach the database");
        }

        @Override
        public void call(Environ environ, Responder responder) {
        }
    }

    /** Never calls start(). */
    public static final class ForgetsToStart implements App {
        @Override
        public void call(Environ environ, Responder responder) {
        }
    }

    /** Sleeps {@code ?ms=N}, ignoring interrupts the first time (a stuck app harakiri must get rid of). */
    public static final class Sleeper implements App {
        @Override
        public void call(Environ environ, Responder responder) throws Exception {
            long ms = Long.parseLong(environ.getOrDefault("QUERY_STRING", "ms=0").substring(3));
            long end = System.currentTimeMillis() + ms;
            while (System.currentTimeMillis() < end) {
                try {
                    Thread.sleep(Math.max(1, end - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    // a badly behaved app: keeps going
                }
            }
            text(responder, 200, "slept " + ms);
        }
    }

    /**
     * Answers with the thread it runs on, the name of its context class loader and the body length it read, then
     * {@code bytes=N} more bytes when the query asks.
     */
    public static final class WhereAmI implements App {
        @Override
        public void call(Environ environ, Responder responder) throws Exception {
            long read = responder.input().transferTo(OutputStream.nullOutputStream());
            Thread self = Thread.currentThread();
            String query = environ.getOrDefault("QUERY_STRING", "");
            int extra = query.startsWith("bytes=") ? Integer.parseInt(query.substring(6)) : 0;
            text(responder, 200, self.getName() + "|" + self.getContextClassLoader().getName() + "|" + read + "|");
            responder.body().write(new byte[extra]);
        }
    }

    /** Counts the request body. */
    public static final class Counter implements App {
        @Override
        public void call(Environ environ, Responder responder) throws Exception {
            long n = 0;
            try (InputStream in = responder.input()) {
                byte[] buf = new byte[8192];
                for (int r; (r = in.read(buf)) > 0; ) {
                    n += r;
                }
            }
            text(responder, 200, Long.toString(n));
        }
    }

    /** Adds its settings' "tag" to an X-Order header, outermost first. */
    public static final class Tag implements Middleware {
        private static int made;

        @Override
        public App wrap(App next, AppContext context) {
            String tag = "m" + (++made);
            return (environ, responder) -> next.call(environ, new Responder() {
                @Override
                public InputStream input() {
                    return responder.input();
                }

                @Override
                public void start(int status, Headers headers) {
                    String order = headers.get("X-Order");
                    headers.set("X-Order", order == null ? tag : tag + "," + order);
                    responder.start(status, headers);
                }

                @Override
                public OutputStream body() {
                    return responder.body();
                }

                @Override
                public void sendFile(java.nio.file.Path file, long offset, long count) throws java.io.IOException {
                    responder.sendFile(file, offset, count);
                }

                @Override
                public boolean committed() {
                    return responder.committed();
                }
            });
        }
    }
}
