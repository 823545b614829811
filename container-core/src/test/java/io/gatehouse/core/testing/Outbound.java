package io.gatehouse.core.testing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/** What a test channel wrote to its peer, read as bytes: buffers, and file regions transferred as a socket would. */
public final class Outbound {
    private Outbound() {
    }

    /** Everything written to {@code channel} so far, each message released once read. */
    public static byte[] drain(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            out.writeBytes(bytes(msg));
        }
        return out.toByteArray();
    }

    /** {@link #drain} as ISO-8859-1 text. */
    public static String drainText(EmbeddedChannel channel) {
        return new String(drain(channel), StandardCharsets.ISO_8859_1);
    }

    /** The bytes of one outbound message, a buffer or a file region, which is released. */
    public static byte[] bytes(Object msg) {
        try {
            if (msg instanceof ByteBuf buf) {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.getBytes(buf.readerIndex(), bytes);
                return bytes;
            }
            if (msg instanceof FileRegion region) {
                return transfer(region, Integer.MAX_VALUE);
            }
            throw new AssertionError("unexpected outbound message " + msg);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * The bytes of {@code region}, transferred (not released) to a sink that takes at most {@code maxWrite} bytes a
     * call, as a socket with a full buffer does; fails if a transfer makes no progress.
     */
    public static byte[] transfer(FileRegion region, int maxWrite) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel sink = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) {
                int n = Math.min(src.remaining(), maxWrite);
                byte[] bytes = new byte[n];
                src.get(bytes);
                out.writeBytes(bytes);
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        try {
            while (region.transferred() < region.count()) {
                if (region.transferTo(sink, region.transferred()) <= 0) {
                    throw new AssertionError("file region stalled at " + region.transferred());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
