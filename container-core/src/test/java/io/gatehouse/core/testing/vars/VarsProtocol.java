package io.gatehouse.core.testing.vars;

import io.gatehouse.spi.protocol.Protocol;
import io.netty.channel.ChannelHandler;

/**
 * A protocol that carries the front server's CGI vars in one block ahead of the body and serves one request per
 * connection (uwsgi, SCGI), as the shared cases of this package need to know it. Each such protocol's tests
 * implement it once; the cases hold what the protocols have in common, and each module keeps its own cases.
 *
 * @param <O> the protocol's options record
 * @param <W> the protocol's request writer
 */
public interface VarsProtocol<O extends Record, W extends VarsRequestWriter<W>> {

    /** The protocol, as a listener finds it. */
    Protocol<O> protocol();

    /** The options a listener without keys gets. */
    O defaults();

    /** Options with these limits ({@code limitPost} 0: none), sizes in bytes. */
    O options(long bufferSize, int maxVars, long limitPost, long bodyBuffer);

    /** The largest buffer-size the listener's keys admit. */
    long maxBufferSize();

    /** The protocol's request decoder alone. */
    ChannelHandler decoder(O options);

    /** The protocol's response encoder alone. */
    ChannelHandler encoder();

    /** A request as nginx writes it with Debian's params file, for {@code method} and {@code uri} (raw). */
    W nginx(String method, String uri);

    /** A request with only the vars the decoder cannot do without. */
    W minimal();

    /**
     * A request the decoder refuses with 400, yet whose body length it still knows; null for a protocol that has no
     * such refusal under its default options (uwsgi: its vars need only frame the body).
     */
    W refused();

    /** The detail the decoder gives for {@link #refused()}, or null. */
    String refusedDetail();

    /** A var value whose bytes a careless decoder would mangle: non-ASCII, and the wire's own delimiters. */
    String rawValue();

    /** How many leading bytes of {@code request} announce the size of its vars block. */
    int sizePrefix(byte[] request);

    /** The first line of a response with {@code status} (e.g. "200 OK") to a request of {@code version}. */
    String statusLine(String version, String status);
}
