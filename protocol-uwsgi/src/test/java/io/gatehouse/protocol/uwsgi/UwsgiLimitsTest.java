package io.gatehouse.protocol.uwsgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.vars.VarsLimitsCases;
import io.gatehouse.spi.exchange.EnvironHead;
import org.junit.jupiter.api.Test;

/** Every limit of a uwsgi listener, at its value and one past it (the shared cases), and the default buffer-size. */
class UwsgiLimitsTest extends VarsLimitsCases<UwsgiOptions, UwsgiRequestWriter> {

    UwsgiLimitsTest() {
        super(new UwsgiUnderTest());
    }

    @Test
    void defaultBufferSizeAdmitsTheLargestPacketAHeaderCanDescribe() {
        UwsgiRequestWriter largest = varsOf(UwsgiConstants.MAX_DATASIZE);
        assertEquals(0xffff, largest.varsSize());
        EnvironHead head = decode(UwsgiOptions.DEFAULTS, largest.bytes());
        assertFalse(head.isFailed(), () -> head.failure().getMessage());
        assertTrue(head.environ().get("HTTP_X_PAD").length() > 65_000);
    }
}
