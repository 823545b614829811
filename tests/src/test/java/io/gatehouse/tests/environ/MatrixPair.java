package io.gatehouse.tests.environ;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerCase.Quirk;
import io.gatehouse.tests.frontend.FrontSite;
import io.gatehouse.tests.support.FrontServer;
import java.util.ArrayList;
import java.util.List;

/**
 * A front and protocol pair of the matrix: a row of {@link FrontServerCase} (a front server before one of
 * Gatehouse's listeners), or Gatehouse's HTTP listener with nothing before it.
 *
 * @param name the pair's name in the printed matrix
 * @param row  the front server's row, or null for the HTTP listener alone
 */
record MatrixPair(String name, FrontServerCase row) {
    /** The HTTP listener alone, as a client reaches it: the reference the other pairs are held to. */
    static final MatrixPair DIRECT_HTTP = new MatrixPair("DIRECT_HTTP", null);

    /**
     * Every pair: each row of {@link FrontServerCase} (a row added there joins the matrix; what it does its own way
     * goes to {@link EnvironDifference}), then the HTTP listener alone.
     */
    static List<MatrixPair> all() {
        List<MatrixPair> pairs = new ArrayList<>();
        for (FrontServerCase row : FrontServerCase.values()) {
            pairs.add(new MatrixPair(row.name(), row));
        }
        pairs.add(DIRECT_HTTP);
        return pairs;
    }

    /** The protocol of Gatehouse's listener, as gatehouse.protocol names it. */
    String protocol() {
        return row == null ? "http" : row.protocol();
    }

    /** True if the pair's front server has {@code quirk}. */
    boolean has(Quirk quirk) {
        return row != null && row.has(quirk);
    }

    /** True when the pair's front serves TLS: every front server does (on its site's TLS port); the listener not. */
    boolean hasTls() {
        return row != null;
    }

    /** True when the pair is the HTTP listener alone. */
    boolean direct() {
        return row == null;
    }

    /** The Gatehouse listeners for {@code site}: list items under {@code listeners:}. */
    String listeners(FrontSite site) {
        return row == null ? "- {name: web, protocol: http, bind: \"127.0.0.1:" + site.port() + "\"}\n"
                : row.listeners(site);
    }

    /** Starts the front server, or returns null when there is none. */
    FrontServer startFront(FrontSite site) {
        return row == null ? null : row.startFront(site);
    }

    @Override
    public String toString() {
        return name;
    }
}
