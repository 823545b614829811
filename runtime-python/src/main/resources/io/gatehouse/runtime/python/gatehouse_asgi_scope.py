"""What the ASGI runtime knows of an app and of a request before it runs one: whether a callable is an ASGI 3 app, an
ASGI 2 one (a double callable) or a WSGI one, the http scope made of a request's environ, and the head of an
http.response.start checked and laid out for a START frame. Standard library only.
"""
import asyncio
import functools
import inspect
import re
import sys

# The version of the HTTP spec this server follows: 2.4, send() after the client left raises an OSError.
ASGI_HTTP_SPEC = '2.4'
HTTP_VERSIONS = {'HTTP/1.1': '1.1', 'HTTP/1.0': '1.0', 'HTTP/2': '2', 'HTTP/2.0': '2'}
# Request header names as the scope wants them (HTTP_CONTENT_MD5 -> b'content-md5'), cached; bounded, as clients
# choose the names.
HEADER_NAMES = {}
HEADER_NAMES_MAX = 512
FIELD_BREAK_BYTES = re.compile(b'[\r\n\0]')


def is_coroutine_function(f):
    """inspect's test, and before 3.12 asyncio's too (which knows asgiref's marker; deprecated from 3.14)."""
    return inspect.iscoroutinefunction(f) or (sys.version_info < (3, 12) and asyncio.iscoroutinefunction(f))


def asgi_kind(app):
    """Why app is unambiguously an ASGI 3 callable (a phrase for the log), or None."""
    target = app
    while isinstance(target, functools.partial):
        target = target.func
    if is_coroutine_function(target):
        return 'a coroutine function'
    if not inspect.isclass(target) and is_coroutine_function(getattr(type(target), '__call__', None)):
        return 'an object with an async __call__'
    return None


def positional_arity(app):
    """How many positional arguments app takes, or None when it cannot tell (or takes *args)."""
    try:
        parameters = inspect.signature(app).parameters.values()
    except (TypeError, ValueError):
        return None
    count = 0
    for p in parameters:
        if p.kind == p.VAR_POSITIONAL:
            return None
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            count += 1
    return count


def app_interface(app, asked):
    """How to call app: 'wsgi', 'asgi3' or 'asgi2' (ASGI 2's double callable), as the settings ask ('wsgi', 'asgi'),
    or when they do not (None), 'asgi3' for an unambiguous ASGI 3 callable and 'wsgi' otherwise. TypeError when
    app cannot be what was asked."""
    kind = asgi_kind(app)
    if asked != 'asgi':
        if kind is None:
            return 'wsgi'
        if asked is None:
            return 'asgi3'
        raise TypeError('interface is wsgi, but the callable is %s, an ASGI application: set interface: asgi' % kind)
    if kind is not None:
        return 'asgi3'
    if inspect.isclass(app):
        return 'asgi2'
    arity = positional_arity(app)
    if arity == 1:
        return 'asgi2'
    if arity is None or arity >= 3:
        return 'asgi3'
    raise TypeError('interface is asgi, but the callable takes %d positional arguments: an ASGI 3 application takes '
                    '(scope, receive, send), an ASGI 2 one (scope)' % arity)


def asgi2_application(app):
    """An ASGI 3 callable running the ASGI 2 double callable app: app(scope), then (receive, send)."""
    async def application(scope, receive, send):
        instance = app(scope)
        await instance(receive, send)
    return application


def header_name(key):
    """The scope's name of the header in environ key HTTP_*: lower case, dashes for underscores, bytes."""
    name = HEADER_NAMES.get(key)
    if name is None:
        name = key[5:].replace('_', '-').lower().encode('latin-1')
        if len(HEADER_NAMES) < HEADER_NAMES_MAX:
            HEADER_NAMES[key] = name
    return name


def utf8_text(native):
    """A native string (bytes as latin-1) as the text its bytes spell in UTF-8, invalid bytes replaced."""
    return native if native.isascii() else native.encode('latin-1').decode('utf-8', 'replace')


def address(host, port):
    """(host, port) with an integer port, (host, None) without a port, None without a host."""
    if not host:
        return None
    return (host, int(port)) if port and port.isdigit() else (host, None)


def http_scope(environ, state):
    """The http scope of a request from its environ: path and root_path decoded (path includes root_path),
    raw_path from REQUEST_URI, headers from HTTP_* and CONTENT_TYPE/CONTENT_LENGTH, a copy of the lifespan state,
    and the environ itself (native strings: the variables of a front server, gatehouse.listener...) as the
    extension gatehouse.environ."""
    headers = []
    for key, value in environ.items():
        if key.startswith('HTTP_'):
            headers.append((header_name(key), value.encode('latin-1')))
    value = environ.get('CONTENT_TYPE')
    if value:
        headers.append((b'content-type', value.encode('latin-1')))
    value = environ.get('CONTENT_LENGTH')
    if value:
        headers.append((b'content-length', value.encode('latin-1')))
    script = environ.get('SCRIPT_NAME', '')
    uri = environ.get('REQUEST_URI')
    raw_path = None
    if uri:
        uri = uri.partition('?')[0]
        if uri[:1] != '/' and '://' in uri:  # absolute form: the path starts after the authority
            slash = uri.find('/', uri.find('://') + 3)
            uri = uri[slash:] if slash >= 0 else '/'
        raw_path = uri.encode('latin-1')
    scheme = environ.get('wsgi.url_scheme') or ('https' if environ.get('HTTPS') in ('on', '1') else 'http')
    return {
        'type': 'http',
        'asgi': {'version': '3.0', 'spec_version': ASGI_HTTP_SPEC},
        'http_version': HTTP_VERSIONS.get(environ.get('SERVER_PROTOCOL'), '1.1'),
        'method': environ.get('REQUEST_METHOD', 'GET'),
        'scheme': scheme,
        'path': utf8_text(script + environ.get('PATH_INFO', '')),
        'raw_path': raw_path,
        'query_string': environ.get('QUERY_STRING', '').encode('latin-1'),
        'root_path': utf8_text(script),
        'headers': headers,
        'client': address(environ.get('REMOTE_ADDR'), environ.get('REMOTE_PORT')),
        'server': address(environ.get('SERVER_ADDR') or environ.get('SERVER_NAME'), environ.get('SERVER_PORT')),
        'state': state.copy(),
        'extensions': {'gatehouse.environ': environ},
    }


def asgi_head(status, headers):
    """The status and headers (bytes pairs) of an http.response.start message, checked, as the field count, the
    lengths and the bytes of a START payload (see start_frame)."""
    if type(status) is not int or not 100 <= status <= 999:
        raise ValueError('http.response.start needs an integer status from 100 to 999, got %r' % (status,))
    parts = [b'%d' % status]
    for field in headers:
        name, value = field
        if type(name) is not bytes or type(value) is not bytes:
            raise TypeError('response header names and values must be bytes, got %r' % (field,))
        parts.append(name)
        parts.append(value)
    data = b''.join(parts)
    if FIELD_BREAK_BYTES.search(data):
        raise ValueError('a response header contains CR, LF or NUL')
    return len(parts) // 2, tuple(map(len, parts)), data
