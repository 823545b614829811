package io.gatehouse.tests.http;

import io.gatehouse.tests.frontend.FrontServerCase;
import io.gatehouse.tests.frontend.FrontServerCases;
import io.gatehouse.tests.frontend.FrontServerRows;

/** The HTTP listener behind real reverse proxies (nginx proxy_pass, Apache mod_proxy_http, lighttpd mod_proxy). */
@FrontServerRows({FrontServerCase.NGINX_HTTP, FrontServerCase.APACHE_HTTP, FrontServerCase.LIGHTTPD_HTTP})
class HttpBehindProxiesTest extends FrontServerCases {
}
