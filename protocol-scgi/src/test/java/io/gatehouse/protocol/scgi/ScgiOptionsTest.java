package io.gatehouse.protocol.scgi;

import io.gatehouse.core.testing.vars.VarsOptionsCases;

/** The listener keys of an scgi listener: defaults and bounds, as a user's YAML is bound (the shared cases). */
class ScgiOptionsTest extends VarsOptionsCases<ScgiOptions, ScgiRequestWriter> {

    ScgiOptionsTest() {
        super(new ScgiUnderTest());
    }
}
