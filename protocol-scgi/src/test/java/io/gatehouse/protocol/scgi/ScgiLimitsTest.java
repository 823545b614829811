package io.gatehouse.protocol.scgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gatehouse.core.testing.vars.VarsLimitsCases;
import io.gatehouse.spi.exchange.EnvironHead;
import org.junit.jupiter.api.Test;

/** Every limit of an scgi listener, at its value and one past it (the shared cases), and the default buffer-size. */
class ScgiLimitsTest extends VarsLimitsCases<ScgiOptions, ScgiRequestWriter> {

    ScgiLimitsTest() {
        super(new ScgiUnderTest());
    }

    @Test
    void defaultBufferSizeIs64KiB() {
        assertFalse(decode(ScgiOptions.DEFAULTS, varsOf(65536).bytes()).isFailed());
        EnvironHead head = decode(ScgiOptions.DEFAULTS, varsOf(65537).bytes());
        assertEquals("vars block of 65537 bytes exceeds buffer-size 65536", head.failure().getMessage());
    }
}
