package io.gatehouse.core.exchange;

import io.gatehouse.spi.exchange.ProtocolException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * The body-timeout of a multiplexed connection (HTTP/2, FastCGI), which the head timer measures for the connection
 * as a whole: it passes when no byte came while some stream's body was incomplete. A stream whose app is waiting
 * for body bytes, with none left unread, is stalled: it alone is answered 408 (or reset, if its answer has
 * started), and the other streams go on. A stream with bytes its app has not read yet is only behind: its client
 * may be held back by the stream's flow-control window, so it is not to blame, and the wait goes on.
 */
final class StalledStreams {
    private StalledStreams() {
    }

    /** True when some stream's body is incomplete: the connection is receiving, and its body-timeout applies. */
    static boolean receiving(Collection<ChannelExchange> streams) {
        for (ChannelExchange exchange : streams) {
            if (!exchange.body().complete()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Answers every stalled stream of {@code streams} with {@code failure}'s status, failing its app's reads, and
     * logs each through {@code log}; true when some stream is behind, so that the wait should start again.
     */
    static boolean answer(Collection<ChannelExchange> streams, ProtocolException failure,
            Consumer<ChannelExchange> log) {
        boolean behind = false;
        for (ChannelExchange exchange : new ArrayList<>(streams)) { // an answered stream leaves the map
            BufferedRequestBody body = exchange.body();
            if (body.complete()) {
                continue;
            }
            if (body.holdsUnread()) {
                behind = true;
                continue;
            }
            log.accept(exchange);
            // answer first: the app, woken by the failed read, then finds the response done and adds nothing
            exchange.response().error(failure.fault().status(), null);
            body.fail(new IOException("request body refused: " + failure.getMessage()));
        }
        return behind;
    }
}
