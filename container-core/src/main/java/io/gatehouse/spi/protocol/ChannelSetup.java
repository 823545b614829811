package io.gatehouse.spi.protocol;

import io.netty.channel.ChannelPipeline;

/** Sets up one new connection of a listener: adds the protocol's handlers to its pipeline. */
@FunctionalInterface
public interface ChannelSetup {

    /** Adds the protocol's handlers; the core adds its own around them. */
    void initChannel(ChannelPipeline pipeline);
}
