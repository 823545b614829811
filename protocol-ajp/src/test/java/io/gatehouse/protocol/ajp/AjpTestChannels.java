package io.gatehouse.protocol.ajp;

import io.gatehouse.config.DataSize;
import io.netty.channel.embedded.EmbeddedChannel;

/** Options and codec channels for the AJP tests. */
final class AjpTestChannels {
    private AjpTestChannels() {
    }

    /** Options with every default except the ones named. */
    static AjpOptions options(int packetSize, String secret, String allowedAttributes, int maxHeaders,
            long maxBodySize, boolean allowUnderscoreHeaders) {
        return new AjpOptions(DataSize.ofBytes(packetSize), secret, false,
                allowedAttributes == null ? null : AjpOptions.AttributePattern.parse(allowedAttributes), maxHeaders,
                DataSize.ofBytes(maxBodySize), allowUnderscoreHeaders, DataSize.ofKibibytes(256));
    }

    static AjpOptions withPacketSize(int packetSize) {
        return options(packetSize, null, null, 100, 0, false);
    }

    static AjpOptions withSecret(String secret) {
        return options(8192, secret, null, 100, 0, false);
    }

    /** The decoder and encoder of one connection, sharing their body flow, as the protocol sets them up. */
    static EmbeddedChannel codec(AjpOptions options) {
        EmbeddedChannel channel = new EmbeddedChannel();
        new AjpProtocol().initChannel(channel.pipeline(), options);
        return channel;
    }

    static EmbeddedChannel codec() {
        return codec(AjpOptions.DEFAULTS);
    }
}
