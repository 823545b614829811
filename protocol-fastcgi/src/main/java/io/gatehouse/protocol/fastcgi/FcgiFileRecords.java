package io.gatehouse.protocol.fastcgi;

import io.gatehouse.spi.exchange.ResponseFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.io.EOFException;
import java.io.IOException;

/**
 * A file body as STDOUT records, read one 64 KiB record at a time when the chunked writer asks (that is, when the
 * socket can take more), so a file of any size passes through a bounded amount of memory. A file can't go out as a
 * zero-copy region here: its bytes must be cut into records with headers between them.
 */
final class FcgiFileRecords implements ChunkedInput<ByteBuf> {
    private final ResponseFile file;
    private final FcgiRequest request;
    private final long start;
    private final long end;
    private long position;

    /** Takes ownership of {@code file}: it is released (and the file closed) when the input is closed. */
    FcgiFileRecords(ResponseFile file, FcgiRequest request) {
        this.file = file;
        this.request = request;
        this.start = file.position();
        this.end = start + file.count();
        this.position = start;
    }

    @Override
    public boolean isEndOfInput() {
        return position >= end || request.aborted();
    }

    @Override
    public void close() {
        file.release();
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws IOException {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
        if (isEndOfInput()) {
            return null;
        }
        int n = (int) Math.min(FcgiConstants.FILE_RECORD_CONTENT, end - position);
        ByteBuf record = allocator.buffer(FcgiConstants.HEADER_LENGTH + n);
        try {
            FcgiRecords.header(record, FcgiRecordType.STDOUT, request.id(), n);
            for (int read = 0; read < n; ) {
                int got = record.writeBytes(file.file(), position + read, n - read);
                if (got < 0) {
                    throw new EOFException("file ended " + (end - position - read) + " bytes short of its region");
                }
                read += got;
            }
            position += n;
            return record;
        } catch (IOException | RuntimeException e) {
            record.release();
            throw e;
        }
    }

    @Override
    public long length() {
        return end - start;
    }

    @Override
    public long progress() {
        return position - start;
    }
}
