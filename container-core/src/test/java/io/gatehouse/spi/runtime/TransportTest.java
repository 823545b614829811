package io.gatehouse.spi.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TransportTest {
    @Test
    void defaultsToALoopForEveryTwoProcessorsAndAtLeastOne() {
        assertEquals(1, Transport.defaultIoThreads(1));
        assertEquals(1, Transport.defaultIoThreads(2));
        assertEquals(1, Transport.defaultIoThreads(3));
        assertEquals(4, Transport.defaultIoThreads(8));
    }
}
