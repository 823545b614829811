package io.gatehouse.spi.exchange;

/** Marks the end of a response body; the encoder writes its protocol's terminator (if any). */
public final class LastResponseChunk {
    /** The end of stream 0. */
    public static final LastResponseChunk STREAM_0 = new LastResponseChunk(0);

    private final int streamId;

    private LastResponseChunk(int streamId) {
        this.streamId = streamId;
    }

    /** The end of stream {@code streamId}. */
    public static LastResponseChunk of(int streamId) {
        return streamId == 0 ? STREAM_0 : new LastResponseChunk(streamId);
    }

    /** The stream that ends. */
    public int streamId() {
        return streamId;
    }

    @Override
    public String toString() {
        return "LastResponseChunk(stream=" + streamId + ")";
    }
}
