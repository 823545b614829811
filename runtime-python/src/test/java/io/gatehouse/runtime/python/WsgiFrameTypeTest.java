package io.gatehouse.runtime.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The frame types' wire codes, as docs/worker-protocol.md lists them. */
class WsgiFrameTypeTest {

    @ParameterizedTest
    @EnumSource(WsgiFrameType.class)
    void everyCodeRoundTrips(WsgiFrameType type) {
        assertSame(type, WsgiFrameType.valueOf((byte) type.code()));
    }

    @Test
    void refusesEveryCodeTheProtocolDoesNotDefine() {
        Set<Integer> defined = new HashSet<>();
        for (WsgiFrameType type : WsgiFrameType.values()) {
            defined.add(type.code());
        }
        for (int code = 0; code < 256; code++) {
            if (!defined.contains(code)) {
                assertNull(WsgiFrameType.valueOf((byte) code), "code 0x" + Integer.toHexString(code));
            }
        }
    }

    @Test
    void matchesTheFrameTableOfTheProtocolDocument() throws IOException {
        Map<String, Integer> documented = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\| 0x([0-9A-F]{2}) \\| ([A-Z_]+) \\|").matcher(
                Files.readString(Path.of("../docs/worker-protocol.md")));
        while (row.find()) {
            documented.put(row.group(2), Integer.parseInt(row.group(1), 16));
        }
        Map<String, Integer> types = new TreeMap<>();
        for (WsgiFrameType type : WsgiFrameType.values()) {
            types.put(type.name(), type.code());
        }
        assertEquals(documented, types);
    }
}
