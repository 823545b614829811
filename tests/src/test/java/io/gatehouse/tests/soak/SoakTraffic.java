package io.gatehouse.tests.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's clients: threads sending, one after the other, a random mix of small GETs, 1 MiB downloads and 256 KiB
 * uploads (checked byte for byte) and JVM hellos, each to one of the base URLs at random. A failure within a few
 * seconds of a killed worker is expected (its request in flight, answered 502 or cut); any other is not.
 */
final class SoakTraffic implements AutoCloseable {
    /** How long after a kill a failure counts as the killed worker's. */
    static final long KILL_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final int DOWNLOAD = 1 << 20;
    static final int UPLOAD = 256 << 10;

    private final List<String> bases;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Long> kills = new CopyOnWriteArrayList<>();
    private final List<String> expected = new CopyOnWriteArrayList<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();
    private final AtomicLong ok = new AtomicLong();
    private final byte[] upload = new byte[UPLOAD];
    private final String uploadAnswer;
    private volatile boolean running = true;

    private SoakTraffic(List<String> bases) {
        this.bases = bases;
        new Random(3).nextBytes(upload);
        try {
            uploadAnswer = "length=" + UPLOAD + "\nsha256="
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload)) + "\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code clients} client threads against {@code bases}. */
    static SoakTraffic start(List<String> bases, int clients) {
        SoakTraffic traffic = new SoakTraffic(bases);
        for (int i = 0; i < clients; i++) {
            long seed = i;
            Thread t = new Thread(() -> traffic.run(new Random(seed)), "soak-client-" + i);
            t.setDaemon(true);
            t.start();
            traffic.threads.add(t);
        }
        return traffic;
    }

    private void run(Random random) {
        while (running) {
            String base = bases.get(random.nextInt(bases.size()));
            int op = random.nextInt(10);
            String what = base + " op " + op;
            try {
                String failure = switch (op) {
                    case 0, 1, 2, 3 -> check(send(get(base + "/pid")), null, -1);
                    case 4, 5 -> check(send(get(base + "/download?bytes=" + DOWNLOAD)), null, DOWNLOAD);
                    case 6, 7 -> check(send(HttpRequest.newBuilder(URI.create(base + "/upload"))
                            .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(upload))
                            .build()), uploadAnswer, -1);
                    default -> check(send(get(base + "/jvm/hello")), "Hello, world!\n", -1);
                };
                if (failure == null) {
                    ok.incrementAndGet();
                } else {
                    failed(what + ": " + failure);
                }
            } catch (IOException e) {
                failed(what + ": " + e);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build();
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Null if the response is a 200 with the {@code body} (or the {@code length}) asked, else what is wrong. */
    private static String check(HttpResponse<byte[]> r, String body, int length) {
        if (r.statusCode() != 200) {
            return "status " + r.statusCode();
        }
        if (body != null && !body.equals(new String(r.body(), java.nio.charset.StandardCharsets.ISO_8859_1))) {
            return "body " + new String(r.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        if (length >= 0 && r.body().length != length) {
            return r.body().length + " bytes of " + length;
        }
        return null;
    }

    private void failed(String what) {
        long now = System.nanoTime();
        boolean afterKill = kills.stream().anyMatch(k -> now - k >= 0 && now - k < KILL_WINDOW_NANOS);
        (afterKill ? expected : unexpected).add(String.format("%tT %s", System.currentTimeMillis(), what));
    }

    /** A worker is about to be killed. */
    void workerKilled() {
        kills.add(System.nanoTime());
    }

    /** Requests answered as expected. */
    long ok() {
        return ok.get();
    }

    /** Failures of killed workers' requests. */
    List<String> expected() {
        return expected;
    }

    /** Every other failure. */
    List<String> unexpected() {
        return unexpected;
    }

    /** Workers killed. */
    int kills() {
        return kills.size();
    }

    /** Stops the clients after their request in flight. */
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(90));
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
