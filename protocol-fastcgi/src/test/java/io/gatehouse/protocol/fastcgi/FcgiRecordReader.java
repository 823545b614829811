package io.gatehouse.protocol.fastcgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gatehouse.core.testing.Outbound;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the application wrote back, as a web server would: every outbound buffer of a channel (released once
 * read), parsed into records, checked for version 1 and for content within 65535 bytes.
 */
final class FcgiRecordReader {
    /** One record as received. */
    record Record(int type, int id, byte[] content) {
        boolean is(FcgiRecordType t) {
            return type == t.code();
        }
    }

    private final List<Record> records = new ArrayList<>();

    private FcgiRecordReader(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            assertTrue(bytes.length - i >= 8, "a record header cut short");
            assertEquals(1, bytes[i], "record version");
            int type = bytes[i + 1] & 0xff;
            int id = (bytes[i + 2] & 0xff) << 8 | bytes[i + 3] & 0xff;
            int length = (bytes[i + 4] & 0xff) << 8 | bytes[i + 5] & 0xff;
            int padding = bytes[i + 6] & 0xff;
            byte[] content = new byte[length];
            System.arraycopy(bytes, i + 8, content, 0, length);
            records.add(new Record(type, id, content));
            i += 8 + length + padding;
        }
    }

    /** Records parsed from raw bytes. */
    static FcgiRecordReader parse(byte[] bytes) {
        return new FcgiRecordReader(bytes);
    }

    /** Everything written to {@code channel} so far. */
    static FcgiRecordReader drain(EmbeddedChannel channel) {
        return new FcgiRecordReader(Outbound.drain(channel));
    }

    List<Record> records() {
        return records;
    }

    /** Records of {@code type} for {@code id}, in order. */
    List<Record> of(FcgiRecordType type, int id) {
        return records.stream().filter(r -> r.is(type) && r.id() == id).toList();
    }

    /** The STDOUT stream of {@code id}, joined. */
    byte[] stdout(int id) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        of(FcgiRecordType.STDOUT, id).forEach(r -> b.writeBytes(r.content()));
        return b.toByteArray();
    }

    String stdoutText(int id) {
        return new String(stdout(id), StandardCharsets.ISO_8859_1);
    }

    /** The single FCGI_END_REQUEST of {@code id}: {appStatus, protocolStatus}. */
    int[] endRequest(int id) {
        List<Record> ends = of(FcgiRecordType.END_REQUEST, id);
        assertEquals(1, ends.size(), "END_REQUEST records for request " + id + " in " + records);
        byte[] c = ends.get(0).content();
        assertEquals(8, c.length);
        int app = (c[0] & 0xff) << 24 | (c[1] & 0xff) << 16 | (c[2] & 0xff) << 8 | c[3] & 0xff;
        return new int[] {app, c[4] & 0xff};
    }

    /** True when {@code id}'s STDOUT ends with an empty record right before its END_REQUEST. */
    boolean stdoutClosed(int id) {
        List<Record> mine = records.stream().filter(r -> r.id() == id).toList();
        int n = mine.size();
        return n >= 2 && mine.get(n - 2).is(FcgiRecordType.STDOUT) && mine.get(n - 2).content().length == 0
                && mine.get(n - 1).is(FcgiRecordType.END_REQUEST);
    }

    /** The name-value pairs of a GET_VALUES_RESULT (or any) record's content. */
    static Map<String, String> pairs(byte[] content) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < content.length) {
            int[] name = length(content, i);
            i = name[1];
            int[] value = length(content, i);
            i = value[1];
            out.put(new String(content, i, name[0], StandardCharsets.ISO_8859_1),
                    new String(content, i + name[0], value[0], StandardCharsets.ISO_8859_1));
            i += name[0] + value[0];
        }
        return out;
    }

    private static int[] length(byte[] b, int i) {
        if ((b[i] & 0x80) == 0) {
            return new int[] {b[i], i + 1};
        }
        int n = (b[i] & 0x7f) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | b[i + 3] & 0xff;
        return new int[] {n, i + 4};
    }

    @Override
    public String toString() {
        return records.toString();
    }
}
