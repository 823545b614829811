package io.gatehouse.protocol.uwsgi;

import io.gatehouse.core.testing.vars.VarsOptionsCases;

/** The listener keys of a uwsgi listener: defaults and bounds, as a user's YAML is bound (the shared cases). */
class UwsgiOptionsTest extends VarsOptionsCases<UwsgiOptions, UwsgiRequestWriter> {

    UwsgiOptionsTest() {
        super(new UwsgiUnderTest());
    }
}
