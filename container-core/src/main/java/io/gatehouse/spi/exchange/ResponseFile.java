package io.gatehouse.spi.exchange;

import io.netty.channel.DefaultFileRegion;
import java.nio.channels.FileChannel;

/**
 * A region of a file as (part of) a response body. Encoders of protocols whose body is raw bytes pass it on
 * as a zero-copy {@link io.netty.channel.FileRegion}; framing protocols read it through {@link #file()}.
 * Releasing it closes the file.
 */
public final class ResponseFile extends DefaultFileRegion {
    private final FileChannel file;
    private final int streamId;

    /** {@code count} bytes of {@code file} from {@code position}, on stream {@code streamId}. */
    public ResponseFile(FileChannel file, long position, long count, int streamId) {
        super(file, position, count);
        this.file = file;
        this.streamId = streamId;
    }

    /** The open file, for encoders that must frame its bytes. */
    public FileChannel file() {
        return file;
    }

    /** The stream this body belongs to. */
    public int streamId() {
        return streamId;
    }
}
