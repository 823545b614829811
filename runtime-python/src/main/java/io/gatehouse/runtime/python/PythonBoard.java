package io.gatehouse.runtime.python;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;

/**
 * One worker's scoreboard for the direct path: a small file both map, one 64-byte slot per thread. The worker
 * writes, for the request a thread runs alone, since when (CLOCK_MONOTONIC nanoseconds, which is what
 * {@link System#nanoTime} reads on Linux; 0 when idle) and its method and URI; and how many it served. The master
 * reads it on its ticks, with no system call on either side (gatehouse_direct.py writes the same layout).
 */
final class PythonBoard {
    private static final Logger LOG = Logger.getLogger(PythonBoard.class.getName());
    static final int SLOT = 64;
    private static final int SERVED_AT = 8;
    private static final int LINE_AT = 16;

    private final Path file;
    private final MappedByteBuffer map;
    private final int slots;

    private PythonBoard(Path file, MappedByteBuffer map, int slots) {
        this.file = file;
        this.map = map;
        this.slots = slots;
    }

    /** Creates the board at {@code file} (mode 0600, zeroed) for {@code slots} threads. */
    static PythonBoard create(Path file, int slots) throws IOException {
        Files.deleteIfExists(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(slots * SLOT));
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, (long) slots * SLOT);
            map.order(ByteOrder.LITTLE_ENDIAN);
            return new PythonBoard(file, map, slots);
        }
    }

    Path file() {
        return file;
    }

    int slots() {
        return slots;
    }

    /** Since when (nanoTime) slot runs a request alone, or 0. */
    long busySince(int slot) {
        return map.getLong(slot * SLOT);
    }

    /** Requests served alone, all threads together. */
    long served() {
        long n = 0;
        for (int i = 0; i < slots; i++) {
            n += map.getLong(i * SLOT + SERVED_AT);
        }
        return n;
    }

    /** The method and URI of slot's request (cut at 48 bytes). */
    String line(int slot) {
        byte[] b = new byte[SLOT - LINE_AT];
        map.get(slot * SLOT + LINE_AT, b);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** Removes the file (the worker is gone); the mapping goes with the last reference. */
    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.fine(() -> "could not remove " + file + ": " + e);
        }
    }
}
