package io.gatehouse.runtime.jvm;

import io.gatehouse.app.App;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.spi.exchange.Exchange;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Runs one exchange through a JVM app: call, finish the response, and turn an exception into 500 or an abort. */
final class JvmCall {
    private static final Logger LOG = Logger.getLogger(JvmCall.class.getName());

    private JvmCall() {
    }

    static void run(App app, String appName, Exchange exchange) {
        if (exchange.clientGone()) {
            return;
        }
        JvmResponder responder = new JvmResponder(exchange);
        try {
            app.call(exchange.environ(), responder);
            responder.finish();
        } catch (Throwable t) {
            responder.discardBuffered();
            if (!exchange.clientGone() && !exchange.response().done()) {
                LOG.log(Level.SEVERE, "app '" + appName + "' failed on " + exchange.environ().get(EnvironKeys.REQUEST_METHOD)
                        + " " + exchange.environ().get(EnvironKeys.REQUEST_URI) + " from " + exchange.peer(), t);
            }
            exchange.response().error(500, null);
            if (t instanceof Error && !(t instanceof StackOverflowError) && !(t instanceof LinkageError)) {
                throw (Error) t;
            }
        }
    }
}
