package io.gatehouse.core.router;

import io.gatehouse.spi.exchange.Exchange;

/** What a mount leads to: an app's worker pool. */
public interface Dispatcher {

    /** The app's name, for logs and meters. */
    String appName();

    /** Takes an exchange whose environ is already fixed for the mount; must answer it, one way or another. */
    void dispatch(Exchange exchange);
}
