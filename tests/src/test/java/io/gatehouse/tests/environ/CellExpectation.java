package io.gatehouse.tests.environ;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What one cell of the matrix must give: the status, and for a 200 the canonical environ with the listed
 * differences of its pair applied, and which they were.
 */
final class CellExpectation {
    final MatrixPair pair;
    final MatrixRequest request;
    /** The port the client connected to (the front server's, its TLS port, or the HTTP listener's). */
    final int clientPort;
    /** The port of Gatehouse's listener behind the front server. */
    final int gatehousePort;
    final Map<String, String> environ;
    final Set<EnvironDifference> applied = EnumSet.noneOf(EnvironDifference.class);
    int status = 200;

    private CellExpectation(MatrixPair pair, MatrixRequest request, int clientPort, int gatehousePort) {
        this.pair = pair;
        this.request = request;
        this.clientPort = clientPort;
        this.gatehousePort = gatehousePort;
        this.environ = request.canonical(clientPort, pair.protocol());
    }

    /** The canonical environ of {@code request}, changed by every difference that applies to the pair. */
    static CellExpectation of(MatrixPair pair, MatrixRequest request, int clientPort, int gatehousePort) {
        CellExpectation e = new CellExpectation(pair, request, clientPort, gatehousePort);
        for (EnvironDifference d : EnvironDifference.values()) {
            if (d.applies(pair, request)) {
                d.apply(e);
                e.applied.add(d);
            }
        }
        return e;
    }

    /** Sets {@code key} to {@code value} (null: absent). */
    void put(String key, String value) {
        environ.put(key, value);
    }
}
