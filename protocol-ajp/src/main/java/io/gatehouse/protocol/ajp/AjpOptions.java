package io.gatehouse.protocol.ajp;

import io.gatehouse.config.ConfigValueException;
import io.gatehouse.config.DataSize;
import io.gatehouse.config.Default;
import io.gatehouse.config.Max;
import io.gatehouse.config.Min;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The options of an {@code ajp} listener, bound from its YAML keys; its timeouts are the keys every listener has.
 *
 * @param packetSize             largest packet either way, header included; must equal mod_jk's
 *                               {@code worker.NAME.max_packet_size} and mod_proxy_ajp's {@code ProxyIOBufferSize}
 * @param secret                 the shared secret every forward request must carry (mod_jk {@code secret},
 *                               mod_proxy_ajp {@code secret=}); a request without it gets 403 and the connection
 *                               closes
 * @param allowNoSecret          let a listener on a non-loopback address run without a secret
 * @param allowedAttributes      request attributes (req_attribute names) admitted beyond the known ones, as a
 *                               regular expression matched against the whole name
 * @param maxHeaders             most header fields in a forward request; more gets 431
 * @param maxBodySize            largest request body (0 = no limit; bodies stream); larger gets 413
 * @param allowUnderscoreHeaders keep header names containing '_' (dropped by default: they collide with '-')
 * @param bodyBuffer             request body bytes buffered per request before asking for more pauses
 */
public record AjpOptions(
        @Default("8192") @Min(8192) @Max(65536) DataSize packetSize,
        String secret,
        boolean allowNoSecret,
        AttributePattern allowedAttributes,
        @Default("100") @Min(1) @Max(10000) int maxHeaders,
        @Default("0") DataSize maxBodySize,
        boolean allowUnderscoreHeaders,
        @Default("256KiB") @Min(4096) @Max(67108864) DataSize bodyBuffer) {

    /** The defaults, as an ajp listener without options gets them. */
    public static final AjpOptions DEFAULTS = new AjpOptions(DataSize.ofBytes(AjpConstants.DEFAULT_PACKET_SIZE),
            null, false, null, 100, DataSize.ofBytes(0), false, DataSize.ofKibibytes(256));

    public AjpOptions {
        if (secret != null && secret.isEmpty()) {
            throw new ConfigValueException("secret", "must not be empty (leave it out for no secret)");
        }
        if (secret != null && secret.chars().anyMatch(c -> c < 0x20 || c > 0xff)) {
            throw new ConfigValueException("secret", "must be printable Latin-1 text, as the web server sends it");
        }
    }

    /** The packet size in bytes. */
    int packetBytes() {
        return (int) packetSize.bytes();
    }

    /** The {@code allowed-attributes} regular expression, compiled once when the config is read. */
    public record AttributePattern(Pattern pattern) {

        /** Compiles {@code regex}; a syntax error becomes a one-line config error. */
        public static AttributePattern parse(String regex) {
            try {
                return new AttributePattern(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("not a valid regular expression: " + e.getDescription()
                        + (e.getIndex() >= 0 ? " near index " + e.getIndex() : "") + " in '" + regex + "'");
            }
        }

        /** True when the whole of {@code name} matches. */
        public boolean admits(String name) {
            return pattern.matcher(name).matches();
        }

        @Override
        public String toString() {
            return pattern.pattern();
        }
    }
}
