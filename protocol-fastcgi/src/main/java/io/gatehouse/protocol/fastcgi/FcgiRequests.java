package io.gatehouse.protocol.fastcgi;

import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

/**
 * The request ids of one connection, shared by its decoder (which begins them and follows their input) and its
 * encoder (which ends them). Both run on the connection's event loop, so nothing here is synchronized.
 */
final class FcgiRequests {
    private final IntObjectMap<FcgiRequest> byId = new IntObjectHashMap<>(4);
    private int active;
    private Runnable whenInputDone;

    /** The entry for {@code id}, or null if the id is neither active nor still sending input. */
    FcgiRequest get(int id) {
        return byId.get(id);
    }

    /** Requests begun and not yet ended: the connection's requests in flight. */
    int active() {
        return active;
    }

    /** Begins {@code id}, replacing an ended entry whose input was still being skipped. */
    FcgiRequest begin(int id, boolean keepConn, int role) {
        FcgiRequest request = new FcgiRequest(id, keepConn, role == FcgiConstants.ROLE_FILTER);
        FcgiRequest previous = byId.put(id, request);
        if (previous != null) {
            previous.releaseParams();
        }
        active++;
        return request;
    }

    /**
     * Marks {@code request} ended (its FCGI_END_REQUEST is written); from now on its input is skipped, and the entry
     * goes once that input is complete. Returns false if it had ended already.
     */
    boolean end(FcgiRequest request) {
        if (request.ended()) {
            return false;
        }
        request.ended(true);
        request.discard();
        active--;
        forgetIfDone(request);
        return true;
    }

    /** The web server has ended {@code request}'s STDIN. */
    void stdinDone(FcgiRequest request) {
        request.stage(FcgiRequest.Stage.DONE);
        forgetIfDone(request);
        checkInputDone();
    }

    /** The web server has ended a (refused) FILTER request's DATA stream. */
    void dataDone(FcgiRequest request) {
        request.dataEnded();
        forgetIfDone(request);
        checkInputDone();
    }

    /** True while some request's input (PARAMS, STDIN, or a refused FILTER's DATA) has not ended. */
    boolean receiving() {
        for (FcgiRequest r : byId.values()) {
            if (r.stage() != FcgiRequest.Stage.DONE || r.dataOpen()) {
                return true;
            }
        }
        return false;
    }

    /** The connection is closing once the input still coming is in: {@code then} runs at that moment. */
    void lingerUntilInputDone(Runnable then) {
        this.whenInputDone = then;
    }

    /** True while the connection is closing and only reads what is still coming, to drop it. */
    boolean lingering() {
        return whenInputDone != null;
    }

    private void checkInputDone() {
        if (whenInputDone != null && !receiving()) {
            Runnable then = whenInputDone;
            whenInputDone = null;
            then.run();
        }
    }

    private void forgetIfDone(FcgiRequest request) {
        if (request.ended() && request.stage() == FcgiRequest.Stage.DONE && !request.dataOpen()
                && byId.get(request.id()) == request) {
            byId.remove(request.id());
        }
    }

    /** Releases every buffer held (the connection is gone). */
    void releaseAll() {
        for (FcgiRequest r : byId.values()) {
            r.releaseParams();
        }
        byId.clear();
        active = 0;
    }
}
