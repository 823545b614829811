package io.gatehouse.protocol.http;

import io.gatehouse.app.Environ;
import io.gatehouse.app.EnvironKeys;
import io.gatehouse.app.Headers;
import io.gatehouse.spi.exchange.EnvironHead;
import io.gatehouse.spi.exchange.Fault;
import io.gatehouse.spi.exchange.ProtocolException;
import io.gatehouse.spi.exchange.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.util.Base64;
import java.util.Map;

/**
 * Finds WebSocket handshakes (RFC 6455 4.2.1) among HTTP/1.1 requests, right behind the decoder: a sound one gets a
 * {@link Http1WebSocket} attached to its head for the app to accept, a broken one is refused with 400 (with
 * {@code Sec-WebSocket-Version: 13} when only the version was wrong, 4.4). When the app accepts, the 101 passes
 * here: it is written as it is, and the connection's HTTP codec is replaced by the WebSocket frame codec.
 */
final class Http1WebSocketUpgrade extends ChannelDuplexHandler {
    private final Http1WebSocketOptions options;
    /** The last handshake passed on, until its 101 (or another answer) goes out. */
    private Http1WebSocket offered;
    /** The last head refused for its version only, whose 400 gets the version we speak. */
    private EnvironHead wrongVersion;

    Http1WebSocketUpgrade(Http1WebSocketOptions options) {
        this.options = options;
    }

    /** Adds the handshake stage behind an HTTP/1.1 codec named {@code http-encoder}, when the options allow. */
    static void addTo(ChannelPipeline pipeline, Http1Options options) {
        if (options.websocket().enabled()) {
            pipeline.addAfter("http-encoder", "ws-upgrade", new Http1WebSocketUpgrade(options.websocket()));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof EnvironHead head && !head.isFailed() && offersUpgrade(head.environ())) {
            ctx.fireChannelRead(check(ctx, head));
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /** RFC 6455 4.2.1: {@code Upgrade: websocket} with {@code Connection: upgrade}; anything else is plain HTTP. */
    static boolean offersUpgrade(Environ env) {
        String upgrade = env.get("HTTP_UPGRADE");
        String connection = env.get("HTTP_CONNECTION");
        return upgrade != null && connection != null && Http1Framing.hasToken(upgrade, "websocket")
                && Http1Framing.hasToken(connection, "upgrade");
    }

    /** The head with its handshake attached, or a failed head saying what is wrong with it. */
    private EnvironHead check(ChannelHandlerContext ctx, EnvironHead head) {
        Environ env = head.environ();
        String problem = null;
        String key = env.get("HTTP_SEC_WEBSOCKET_KEY");
        if (!"GET".equals(env.get(EnvironKeys.REQUEST_METHOD))) {
            problem = "method " + env.get(EnvironKeys.REQUEST_METHOD) + " (expected: GET)";
        } else if (!"HTTP/1.1".equals(env.get(EnvironKeys.SERVER_PROTOCOL))) {
            problem = env.get(EnvironKeys.SERVER_PROTOCOL) + " (expected: HTTP/1.1)";
        } else if (!"13".equals(env.get("HTTP_SEC_WEBSOCKET_VERSION"))) {
            problem = "Sec-WebSocket-Version " + env.get("HTTP_SEC_WEBSOCKET_VERSION") + " (expected: 13)";
        } else if (!validKey(key)) {
            problem = "Sec-WebSocket-Key is not 16 bytes in base64";
        } else if (head.contentLength() != 0) {
            problem = "a request body";
        }
        if (problem != null) {
            EnvironHead failed = EnvironHead.failed(env, head.streamId(), new ProtocolException(Fault.BAD_REQUEST,
                    "WebSocket handshake refused: " + problem), head.contentLength());
            wrongVersion = problem.startsWith("Sec-WebSocket-Version") ? failed : null;
            return failed;
        }
        WebSocketServerExtension deflate = options.compression() ? deflate(env.get("HTTP_SEC_WEBSOCKET_EXTENSIONS"))
                : null;
        offered = new Http1WebSocket(ctx.channel(), options, key, env.get("HTTP_SEC_WEBSOCKET_PROTOCOL"), deflate);
        return head.websocket(offered);
    }

    private static boolean validKey(String key) {
        try {
            return key != null && Base64.getDecoder().decode(key.trim()).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** permessage-deflate (RFC 7692) on the first offer we can take, or null; inflating is bounded by the limit. */
    private WebSocketServerExtension deflate(String offers) {
        if (offers == null) {
            return null;
        }
        PerMessageDeflateServerExtensionHandshaker handshaker = new PerMessageDeflateServerExtensionHandshaker(6,
                false, 15, false, false, (int) Math.min(Integer.MAX_VALUE, options.maxMessageSize().bytes()));
        for (WebSocketExtensionData offer : WebSocketExtensionUtil.extractExtensions(offers)) {
            WebSocketServerExtension extension = handshaker.handshakeExtension(offer);
            if (extension != null) {
                return extension;
            }
        }
        return null;
    }

    /** The agreed extension as a Sec-WebSocket-Extensions value. */
    static String extensionHeader(WebSocketServerExtension extension) {
        WebSocketExtensionData data = extension.newReponseData();
        StringBuilder out = new StringBuilder(data.name());
        for (Map.Entry<String, String> p : data.parameters().entrySet()) {
            out.append("; ").append(p.getKey());
            if (p.getValue() != null) {
                out.append('=').append(p.getValue());
            }
        }
        return out.toString();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ResponseHead head && offered != null && head.request().websocket() == offered) {
            Http1WebSocket socket = offered;
            offered = null;
            if (head.status() == 101) {
                upgrade(ctx, head, socket, promise);
                return;
            }
        } else if (msg instanceof ResponseHead head && head.request() == wrongVersion) {
            head.headers().set("Sec-WebSocket-Version", "13");
            wrongVersion = null;
        }
        ctx.write(msg, promise);
    }

    /** Writes the 101 as it is, then swaps the HTTP codec for the frame codec (and the socket's own handler). */
    private void upgrade(ChannelHandlerContext ctx, ResponseHead head, Http1WebSocket socket, ChannelPromise promise) {
        ByteBuf out = ctx.alloc().buffer(256);
        ByteBufUtil.writeAscii(out, "HTTP/1.1 101 Switching Protocols\r\n");
        Headers headers = head.headers();
        for (int i = 0; i < headers.size(); i++) {
            out.writeCharSequence(headers.name(i), java.nio.charset.StandardCharsets.ISO_8859_1);
            ByteBufUtil.writeAscii(out, ": ");
            out.writeCharSequence(headers.value(i), java.nio.charset.StandardCharsets.ISO_8859_1);
            ByteBufUtil.writeAscii(out, "\r\n");
        }
        ByteBufUtil.writeAscii(out, "\r\n");
        ctx.writeAndFlush(out, promise);
        ChannelPipeline pipeline = ctx.pipeline();
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength((int) Math.min(Integer.MAX_VALUE, options.maxMessageSize().bytes()))
                .expectMaskedFrames(true).allowMaskMismatch(false).allowExtensions(socket.deflate() != null)
                .closeOnProtocolViolation(false).withUTF8Validator(false).build();
        pipeline.replace("http-decoder", "ws-decoder", new WebSocket13FrameDecoder(config));
        pipeline.replace("http-encoder", "ws-encoder", new WebSocket13FrameEncoder(false));
        String last = "ws-encoder";
        if (socket.deflate() != null) {
            pipeline.addAfter(last, "ws-inflate", socket.deflate().newExtensionDecoder());
            pipeline.addAfter("ws-inflate", "ws-deflate", socket.deflate().newExtensionEncoder());
            last = "ws-deflate";
        }
        pipeline.addAfter(last, "ws-utf8", new Utf8FrameValidator(false));
        pipeline.replace(this, "ws", socket.frames());
    }
}
