package io.gatehouse.tests.http;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerCases;
import io.gatehouse.tests.frontend.FrontServerRows;

/**
 * The HTTP listener behind real reverse proxies (nginx proxy_pass, Apache mod_proxy_http, lighttpd mod_proxy) and
 * behind haproxy in TCP mode sending the PROXY protocol.
 */
@FrontServerRows({FrontServerCase.NGINX_HTTP, FrontServerCase.APACHE_HTTP, FrontServerCase.LIGHTTPD_HTTP,
        FrontServerCase.HAPROXY_HTTP})
class HttpBehindProxiesTest extends FrontServerCases {
}
