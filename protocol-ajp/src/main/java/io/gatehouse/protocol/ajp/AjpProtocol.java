package io.gatehouse.protocol.ajp;

import io.gatehouse.config.BindAddress;
import io.gatehouse.config.ConfigScope;
import io.gatehouse.config.ListenerConfig;
import io.gatehouse.spi.protocol.Protocol;
import io.netty.channel.ChannelPipeline;
import java.time.Duration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** AJP13 for Apache httpd's mod_jk and mod_proxy_ajp (and other Tomcat connectors): {@code protocol: ajp}. */
public final class AjpProtocol implements Protocol<AjpOptions> {
    /** Environ key: the web server's end of the AJP connection ({@code addr:port}, or "unix"). */
    public static final String PEER_KEY = "ajp.peer";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    @Override
    public String name() {
        return "ajp";
    }

    @Override
    public Class<AjpOptions> optionsType() {
        return AjpOptions.class;
    }

    /**
     * Refuses a listener that other hosts can reach and that has no secret: an open AJP port lets anyone send
     * requests with forged client addresses, users and attributes (the lesson of CVE-2020-1938, "Ghostcat").
     */
    @Override
    public void validate(AjpOptions options, ListenerConfig listener, ConfigScope where) {
        if (options.secret() != null || options.allowNoSecret() || loopbackOnly(listener.bind())) {
            return;
        }
        String reach = listener.bind() instanceof BindAddress.Inet
                ? "accepts connections from other hosts" : "cannot be shown to accept loopback connections only";
        // No secret was written (or "secret:" was left empty), so the listener as a whole is blamed.
        where.pinned().key("secret").error("an ajp listener on " + listener.bind() + " " + reach
                + ", so it needs a secret (the same as mod_jk's worker.NAME.secret or mod_proxy_ajp's secret=), or "
                + "allow-no-secret: true to accept unauthenticated requests (see CVE-2020-1938)");
    }

    @Override
    public void initChannel(ChannelPipeline pipeline, AjpOptions options) {
        AjpBodyFlow flow = new AjpBodyFlow(options.packetBytes());
        pipeline.addLast("ajp-decoder", new AjpDecoder(options, flow));
        pipeline.addLast("ajp-encoder", new AjpEncoder(options, flow));
    }

    @Override
    public int bodyBuffer(AjpOptions options) {
        return (int) options.bodyBuffer().bytes();
    }

    /**
     * None: web servers keep pools of AJP connections open as long as they like, as Tomcat's AJP connector lets them
     * by default. A listener that sets one should have the web server's shorter (mod_jk
     * {@code connection_pool_timeout}, mod_proxy {@code ttl}), so that the web server closes idle connections.
     */
    @Override
    public Duration keepaliveTimeout() {
        return Duration.ZERO;
    }

    /** True for unix sockets, localhost, and literal addresses in 127.0.0.0/8 or ::1. Names are not resolved. */
    static boolean loopbackOnly(BindAddress bind) {
        if (bind instanceof BindAddress.Unix) {
            return true;
        }
        if (!(bind instanceof BindAddress.Inet inet) || inet.isAnyHost()) {
            return false;
        }
        String host = inet.host();
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IPV4.matcher(host).matches() && host.indexOf(':') < 0) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
