package io.gatehouse.protocol.ajp;

import io.gatehouse.spi.exchange.ResponseFile;
import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A response file framed as SEND_BODY_CHUNK packets while it is written: the channel asks for the bytes at each
 * position, and the region answers with the packet header, the file's own bytes (transferred from the file
 * channel, never read whole into memory) or the NUL that ends each packet. The socket's pace is the file's pace,
 * so a large file is backpressured like any other body. Releasing the region releases (and closes) the file.
 */
final class AjpFileRegion extends AbstractReferenceCounted implements FileRegion {
    private static final int HEAD = 7;

    private final ResponseFile file;
    private final int maxData;
    private final long frame;
    private final long framedCount;
    private final ByteBuffer header = ByteBuffer.allocate(HEAD);
    private final ByteBuffer nul = ByteBuffer.allocate(1);
    private long transferred;

    /** Frames {@code file} (whose reference this region takes over) in packets of at most {@code maxData} bytes. */
    AjpFileRegion(ResponseFile file, int maxData) {
        this.file = file;
        this.maxData = maxData;
        this.frame = maxData + AjpConstants.SEND_BODY_OVERHEAD;
        long packets = (file.count() + maxData - 1) / maxData;
        this.framedCount = file.count() + packets * AjpConstants.SEND_BODY_OVERHEAD;
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    public long count() {
        return framedCount;
    }

    @Override
    public long transferTo(WritableByteChannel target, long position) throws IOException {
        long written = 0;
        while (position < framedCount) {
            long packet = position / frame;
            int offset = (int) (position % frame);
            long dataAt = packet * maxData;
            int size = (int) Math.min(maxData, file.count() - dataAt);
            long w;
            if (offset < HEAD) {
                header.clear();
                header.putShort((short) AjpConstants.MAGIC_OUT).putShort((short) (size + 4))
                        .put((byte) AjpConstants.SEND_BODY_CHUNK).putShort((short) size).flip().position(offset);
                w = target.write(header);
            } else if (offset < HEAD + size) {
                long from = file.position() + dataAt + offset - HEAD;
                w = file.file().transferTo(from, HEAD + size - offset, target);
                if (w == 0 && file.file().size() <= from) {
                    throw new IOException("response file shrank to " + file.file().size() + " bytes while being sent");
                }
            } else {
                nul.clear();
                w = target.write(nul);
            }
            if (w <= 0) {
                break;
            }
            written += w;
            position += w;
        }
        transferred += written;
        return written;
    }

    @Override
    public FileRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public FileRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FileRegion touch() {
        return this;
    }

    @Override
    public FileRegion touch(Object hint) {
        return this;
    }

    @Override
    protected void deallocate() {
        file.release();
    }
}
