package io.gatehouse.core.protocol;

import io.gatehouse.spi.protocol.Protocol;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The protocols found on the classpath, by name. */
public final class ProtocolCatalog {
    private final Map<String, Protocol<?>> byName;

    private ProtocolCatalog(Map<String, Protocol<?>> byName) {
        this.byName = byName;
    }

    /** Every {@link Protocol} registered with the ServiceLoader of this class's loader. */
    public static ProtocolCatalog load() {
        Map<String, Protocol<?>> found = new TreeMap<>();
        for (Protocol<?> p : ServiceLoader.load(Protocol.class, ProtocolCatalog.class.getClassLoader())) {
            Protocol<?> previous = found.putIfAbsent(p.name(), p);
            if (previous != null) {
                throw new IllegalStateException("two protocols named '" + p.name() + "': "
                        + previous.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        return new ProtocolCatalog(found);
    }

    /** A catalog of exactly these protocols (tests). */
    public static ProtocolCatalog of(Protocol<?>... protocols) {
        Map<String, Protocol<?>> found = new TreeMap<>();
        for (Protocol<?> p : protocols) {
            found.put(p.name(), p);
        }
        return new ProtocolCatalog(found);
    }

    /** The protocol called {@code name}, or null. */
    public Protocol<?> get(String name) {
        return byName.get(name);
    }

    /** All names, sorted. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** The names of the protocols that take a PROXY protocol header, e.g. "http, scgi and uwsgi". */
    public String acceptingProxyProtocol() {
        List<String> names = byName.values().stream().filter(Protocol::acceptsProxyProtocol).map(Protocol::name)
                .toList();
        int n = names.size();
        return n < 2 ? String.join("", names) : String.join(", ", names.subList(0, n - 1)) + " and " + names.get(n - 1);
    }
}
