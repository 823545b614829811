package io.gatehouse.protocol.fastcgi;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The answers to FCGI_GET_VALUES (section 4.1), from the listener's options: FCGI_MAX_CONNS is max-connections
 * (enforced by the listener), FCGI_MAX_REQS is max-connections times max-requests-in-flight (the requests it takes
 * in at once), FCGI_MPXS_CONNS is 1 when a connection may carry more than one request at once.
 */
final class FcgiValues {
    private FcgiValues() {
    }

    /** Name, value, name, value... for each variable asked for that this application knows, once each. */
    static List<String> answer(ByteBuf query, FcgiOptions options) {
        Set<String> asked = new LinkedHashSet<>();
        FcgiParams.decode(query, Integer.MAX_VALUE, (name, value) -> asked.add(name));
        List<String> pairs = new ArrayList<>(6);
        for (String name : asked) {
            String value = switch (name) {
                case FcgiConstants.MAX_CONNS -> Integer.toString(options.maxConnections());
                case FcgiConstants.MAX_REQS -> Long.toString(options.maxRequests());
                case FcgiConstants.MPXS_CONNS -> options.maxRequestsInFlight() > 1 ? "1" : "0";
                default -> null; // 4.1: a name the application does not understand is left out
            };
            if (value != null) {
                pairs.add(name);
                pairs.add(value);
            }
        }
        return pairs;
    }
}
