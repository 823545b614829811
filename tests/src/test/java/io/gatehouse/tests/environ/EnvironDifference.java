package io.gatehouse.tests.environ;

import static io.gatehouse.tests.frontend.FrontServerCase.APACHE_FASTCGI;
import static io.gatehouse.tests.frontend.FrontServerCase.APACHE_HTTP;
import static io.gatehouse.tests.frontend.FrontServerCase.APACHE_JK;
import static io.gatehouse.tests.frontend.FrontServerCase.APACHE_PROXY_AJP;
import static io.gatehouse.tests.frontend.FrontServerCase.APACHE_SCGI;
import static io.gatehouse.tests.frontend.FrontServerCase.APACHE_UWSGI;
import static io.gatehouse.tests.frontend.FrontServerCase.LIGHTTPD_FASTCGI;
import static io.gatehouse.tests.frontend.FrontServerCase.LIGHTTPD_HTTP;
import static io.gatehouse.tests.frontend.FrontServerCase.LIGHTTPD_SCGI;
import static io.gatehouse.tests.frontend.FrontServerCase.LIGHTTPD_UWSGI;
import static io.gatehouse.tests.frontend.FrontServerCase.NGINX_FASTCGI;
import static io.gatehouse.tests.frontend.FrontServerCase.NGINX_FASTCGI_KEEP_CONN;
import static io.gatehouse.tests.frontend.FrontServerCase.NGINX_HTTP;
import static io.gatehouse.tests.frontend.FrontServerCase.NGINX_SCGI;
import static io.gatehouse.tests.frontend.FrontServerCase.NGINX_UWSGI_TCP;
import static io.gatehouse.tests.frontend.FrontServerCase.NGINX_UWSGI_UNIX;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerCase.Quirk;
import java.util.List;

/**
 * The differences between pairs that remain after Gatehouse's normalization, each once, with its reason; the same
 * list, in words, is in docs/environ.md. A difference changes the expectation of the cells it applies to: the
 * canonical environ ({@link MatrixRequest#canonical}) or the status, when the front server answers itself. Every
 * other cell of every pair must give the canonical environ exactly.
 */
enum EnvironDifference {
    /** Bodies of unknown length where the protocol cannot frame them: the front refuses them. */
    REFUSES_CHUNKED("411", "Apache's mod_proxy_uwsgi and mod_proxy_scgi answer a chunked request body 411 Length "
            + "Required themselves: uwsgi and SCGI frame the body by CONTENT_LENGTH alone") {
        @Override
        boolean applies(MatrixPair pair, MatrixRequest request) {
            return request == MatrixRequest.CHUNKED_POST && pair.has(Quirk.REFUSES_CHUNKED_BODIES);
        }

        @Override
        void apply(CellExpectation e) {
            e.status = 411;
        }
    },
    DECHUNKED("de-chunked", "nginx and lighttpd read a chunked request body whole and pass it with its length: "
            + "CONTENT_LENGTH is set and there is no HTTP_TRANSFER_ENCODING (uwsgi and SCGI cannot frame it "
            + "otherwise; they do the same for FastCGI and HTTP)") {
        @Override
        boolean applies(MatrixPair pair, MatrixRequest request) {
            return request == MatrixRequest.CHUNKED_POST && !pair.direct() && !pair.has(Quirk.PASSES_BYTES)
                    && !pair.has(Quirk.STREAMS_CHUNKED_BODIES) && !pair.has(Quirk.REFUSES_CHUNKED_BODIES);
        }

        @Override
        void apply(CellExpectation e) {
            e.put("CONTENT_LENGTH", e.environ.get("body.length"));
            e.put("HTTP_TRANSFER_ENCODING", null);
        }
    },
    TE_DROPPED("te-dropped", "a chunked body streamed over FastCGI (Apache's mod_proxy_fcgi) has no CONTENT_LENGTH, "
            + "as over HTTP and AJP, but no HTTP_TRANSFER_ENCODING either: FastCGI's STDIN records end the body, and "
            + "Gatehouse drops the field from every gateway protocol's variables; over HTTP and AJP it stays as the "
            + "client sent it") {
        @Override
        boolean applies(MatrixPair pair, MatrixRequest request) {
            return request == MatrixRequest.CHUNKED_POST && pair.has(Quirk.STREAMS_CHUNKED_BODIES)
                    && pair.protocol().equals("fastcgi");
        }

        @Override
        void apply(CellExpectation e) {
            e.put("HTTP_TRANSFER_ENCODING", null);
        }
    },
    EMPTY_CONTENT_FIELDS("empty-ct", "nginx's uwsgi_params, scgi_params and fastcgi_params pass $content_type and "
            + "$content_length even when the request has neither: CONTENT_TYPE is empty (and CONTENT_LENGTH over "
            + "uwsgi and FastCGI); PEP 3333 allows empty or absent") {
        @Override
        boolean applies(MatrixPair pair, MatrixRequest request) {
            return rows(pair, NGINX_UWSGI_TCP, NGINX_UWSGI_UNIX, NGINX_SCGI, NGINX_FASTCGI, NGINX_FASTCGI_KEEP_CONN)
                    && !request.hasBody();
        }

        @Override
        void apply(CellExpectation e) {
            e.put("CONTENT_TYPE", "");
            if (!e.pair.protocol().equals("scgi")) {
                e.put("CONTENT_LENGTH", "");
            }
        }
    },
    ZERO_CONTENT_LENGTH("length-0", "SCGI requires CONTENT_LENGTH in every request, so SCGI fronts send 0 for no "
            + "body; lighttpd sends 0 over uwsgi and FastCGI too, and mod_jk a Content-Length of 0") {
        @Override
        boolean applies(MatrixPair pair, MatrixRequest request) {
            return (pair.protocol().equals("scgi") || rows(pair, LIGHTTPD_UWSGI, LIGHTTPD_FASTCGI, APACHE_JK))
                    && !request.hasBody();
        }

        @Override
        void apply(CellExpectation e) {
            e.put("CONTENT_LENGTH", "0");
        }
    },
    NGINX_SERVER_NAME("server-name", "nginx's params files send SERVER_NAME $server_name, the server block's name "
            + "(here 'localhost'), where the others take the name from the request's Host") {
        @Override
        boolean applies(MatrixPair pair, MatrixRequest request) {
            return rows(pair, NGINX_UWSGI_TCP, NGINX_UWSGI_UNIX, NGINX_SCGI, NGINX_FASTCGI, NGINX_FASTCGI_KEEP_CONN);
        }

        @Override
        void apply(CellExpectation e) {
            e.put("SERVER_NAME", "localhost");
        }
    },
    HOST_WITHOUT_PORT("host-no-port", "Debian's nginx params files send HTTP_HOST $host, the host without its port "
            + "(Debian's guard against a Host that disagrees with an absolute-form target)") {
        @Override
        boolean applies(MatrixPair pair, MatrixRequest request) {
            return NGINX_SERVER_NAME.applies(pair, request);
        }

        @Override
        void apply(CellExpectation e) {
            e.put("HTTP_HOST", "127.0.0.1");
        }
    },
    PROXY_SERVER_PORT("proxy-port", "behind an HTTP proxy SERVER_PORT is the port of Gatehouse's listener: the HTTP "
            + "listener takes it from the connection, as CGI defines it, and the proxy's own port travels only in "
            + "Host, which the proxy may rewrite") {
        @Override
        boolean applies(MatrixPair pair, MatrixRequest request) {
            return pair.has(Quirk.NAMES_GATEHOUSE_AS_SERVER);
        }

        @Override
        void apply(CellExpectation e) {
            e.put("SERVER_PORT", Integer.toString(e.gatehousePort));
        }
    },
    PROXY_HOST("proxy-host", "nginx's proxy_pass (proxy_set_header Host $proxy_host, its default) and Apache's "
            + "mod_proxy_http (ProxyPreserveHost Off, its default) send the upstream's address as Host; lighttpd "
            + "keeps the client's") {
        @Override
        boolean applies(MatrixPair pair, MatrixRequest request) {
            return rows(pair, NGINX_HTTP, APACHE_HTTP);
        }

        @Override
        void apply(CellExpectation e) {
            e.put("HTTP_HOST", "127.0.0.1:" + e.gatehousePort);
        }
    },
    FORWARDED_FOR_ADDED("xff-added", "Apache's mod_proxy_http and lighttpd's mod_proxy add the client's address to "
            + "X-Forwarded-For (nginx only when told to, with $proxy_add_x_forwarded_for)") {
        @Override
        boolean applies(MatrixPair pair, MatrixRequest request) {
            return rows(pair, APACHE_HTTP, LIGHTTPD_HTTP);
        }

        @Override
        void apply(CellExpectation e) {
            String earlier = e.environ.get("HTTP_X_FORWARDED_FOR");
            e.put("HTTP_X_FORWARDED_FOR", (earlier == null ? "" : earlier + ", ") + "127.0.0.1");
        }
    },
    PROXY_HIDES_TLS("no-tls-info", "a request an HTTP proxy passes on over plain HTTP does not say that the client "
            + "used TLS: wsgi.url_scheme is http and there is no HTTPS (a proxy's X-Forwarded-Proto reaches the app "
            + "as a plain HTTP_X_FORWARDED_PROTO)") {
        @Override
        boolean applies(MatrixPair pair, MatrixRequest request) {
            return request.tls() && pair.protocol().equals("http");
        }

        @Override
        void apply(CellExpectation e) {
            e.put("wsgi.url_scheme", "http");
            e.put("HTTPS", null);
        }
    },
    APACHE_ENCODED_SLASH("404", "Apache httpd answers 404 to a path with %2F itself (AllowEncodedSlashes Off, its "
            + "default); nginx and lighttpd decode it to / in PATH_INFO, as Gatehouse's HTTP listener does") {
        @Override
        boolean applies(MatrixPair pair, MatrixRequest request) {
            return request == MatrixRequest.ENCODED_SLASH && rows(pair, APACHE_UWSGI, APACHE_SCGI, APACHE_FASTCGI,
                    APACHE_HTTP, APACHE_PROXY_AJP, APACHE_JK);
        }

        @Override
        void apply(CellExpectation e) {
            e.status = 404;
        }
    },
    PROXY_DECODES_SLASH("uri-decoded", "lighttpd's mod_proxy forwards the path with %2F decoded to /, so "
            + "REQUEST_URI is not the client's; over uwsgi, SCGI and FastCGI it passes REQUEST_URI as sent") {
        @Override
        boolean applies(MatrixPair pair, MatrixRequest request) {
            return request == MatrixRequest.ENCODED_SLASH && rows(pair, LIGHTTPD_HTTP);
        }

        @Override
        void apply(CellExpectation e) {
            String uri = e.environ.get("REQUEST_URI");
            int q = uri.indexOf('?');
            e.put("REQUEST_URI", uri.substring(0, q).replace("%2F", "/") + uri.substring(q));
        }
    },
    COOKIE_JOINED_BY_COMMA("cookie-comma", "Apache httpd joins repeated header fields itself before any module "
            + "sees them, Cookie too, with ', ' where RFC 6265 wants '; ' (user agents send one Cookie field, so "
            + "only hand-made requests repeat it)") {
        @Override
        boolean applies(MatrixPair pair, MatrixRequest request) {
            return request == MatrixRequest.REPEATED_FIELDS && rows(pair, APACHE_UWSGI, APACHE_SCGI,
                    APACHE_FASTCGI, APACHE_HTTP, APACHE_PROXY_AJP, APACHE_JK);
        }

        @Override
        void apply(CellExpectation e) {
            e.put("HTTP_COOKIE", e.environ.get("HTTP_COOKIE").replace("; ", ", "));
        }
    };

    private final String code;
    private final String reason;

    EnvironDifference(String code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /** The short name the printed matrix uses. */
    String code() {
        return code;
    }

    /** Why the pair differs, as docs/environ.md says. */
    String reason() {
        return reason;
    }

    /** True when this difference shapes what {@code pair} gives for {@code request}. */
    abstract boolean applies(MatrixPair pair, MatrixRequest request);

    /** Changes {@code e} to what the pair gives. */
    abstract void apply(CellExpectation e);

    /** True when the pair is one of {@code rows}: named one by one, so that a new row inherits nothing unseen. */
    private static boolean rows(MatrixPair pair, FrontServerCase... rows) {
        return pair.row() != null && List.of(rows).contains(pair.row());
    }
}
