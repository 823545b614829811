"""The head of a request on the direct path (gatehouse_direct): the uwsgi packet a front server sent, parsed and
completed into the environ the master would build, or None when the master must take the connection. Apart from
the accept loop so that each reads in one sitting; standard library only, as the worker.
"""
import struct

# uwsgi packet header: modifier1 (u8), datasize (u16 little-endian), modifier2 (u8); each var's lengths are u16 LE
UWSGI_HEAD = struct.Struct('<BHB')
REQUIRED = ('REQUEST_METHOD', 'SERVER_PROTOCOL')
MAX_LENGTH_DIGITS = 18


def parse_head(data, listener):
    """The uwsgi head at the start of data as (its length, environ), or None when the master must take it."""
    if len(data) < UWSGI_HEAD.size:
        return None
    modifier1, size, modifier2 = UWSGI_HEAD.unpack_from(data, 0)
    end = UWSGI_HEAD.size + size
    if modifier1 != 0 or modifier2 != 0 or size > listener.buffer_size or len(data) < end:
        return None
    environ = {}
    text = data[:end].decode('latin-1')
    if 'UWSGI_' in text:
        return None  # a magic variable, or a value that looks like one: the master says it ignores them
    pos = UWSGI_HEAD.size
    count = 0
    try:
        while pos < end:
            # each length is u16 little-endian; indexing bytes is faster than struct here, where it counts
            key = pos + 2
            pos = key + (data[pos] | data[pos + 1] << 8)
            value = pos + 2
            pos = value + (data[pos] | data[pos + 1] << 8)
            environ[text[key:value - 2]] = text[value:pos]
            count += 1
    except IndexError:
        return None
    # a SCRIPT_NAME (Apache's ProxyPass prefix) is joined with PATH_INFO and split again at the mount: the master's
    if pos != end or len(environ) != count or count > listener.max_vars or environ.get('SCRIPT_NAME'):
        return None
    if not all(environ.get(k) for k in REQUIRED) or 'PATH_INFO' not in environ or 'QUERY_STRING' not in environ:
        return None
    return end, environ


def fill_server(environ, scheme):
    """SERVER_NAME and SERVER_PORT where the front server left them empty (nginx does without server_name), from
    HTTP_HOST as the master fills them; False when there is no HTTP_HOST either (the master uses its address)."""
    name = environ.get('SERVER_NAME')
    port = environ.get('SERVER_PORT')
    if name and port:
        return True
    host = environ.get('HTTP_HOST')
    if not host:
        return False
    close = host.find(']') if host[0] == '[' else -1
    colon = host.find(':', max(close, 0))
    if colon < 0:
        host_name, host_port = host, ('443' if scheme == 'https' else '80')
    else:
        host_name = host[:colon]
        host_port = host[colon + 1:] or ('443' if scheme == 'https' else '80')
    if not name:
        environ['SERVER_NAME'] = host_name or 'localhost'
    if not port:
        environ['SERVER_PORT'] = host_port
    return True


def content_length(value):
    """CONTENT_LENGTH as a number (absent or empty: 0), or None when it is not a plain decimal."""
    if not value:
        return 0
    if len(value) > MAX_LENGTH_DIGITS or not value.isdigit() or not value.isascii():
        return None
    return int(value)


def complete(environ, listener):
    """Completes the environ as the master does (GatewayEnviron, then the router's split at the mount); returns the
    body length, or None when the master must take the request (a bad length, a body over limit-post, a path
    outside the mount)."""
    length = content_length(environ.get('CONTENT_LENGTH'))
    if length is None or (listener.limit_post > 0 and length > listener.limit_post):
        return None
    path = environ['PATH_INFO']
    if not path.startswith('/'):
        path = '/' + path
    mount = listener.mount
    if mount == '/':
        script = ''
    elif path == mount or path.startswith(mount + '/'):
        script = mount
        path = path[len(mount):]
    else:
        return None
    environ['SCRIPT_NAME'] = script
    environ['PATH_INFO'] = path
    https = environ.get('HTTPS', '').lower()
    scheme = 'https' if https in ('on', '1', 'true') or environ.get('REQUEST_SCHEME', '').lower() == 'https' else 'http'
    if not (listener.defaults_noted or (environ.get('SERVER_NAME') and environ.get('SERVER_PORT'))):
        # the first request of a worker that needs defaults goes to the master, which tells the log once
        listener.defaults_noted = True
        return None
    if not fill_server(environ, scheme):
        return None
    environ['wsgi.url_scheme'] = scheme
    kind = environ.pop('HTTP_CONTENT_TYPE', None)
    if kind is not None and 'CONTENT_TYPE' not in environ:
        environ['CONTENT_TYPE'] = kind
    environ.pop('HTTP_CONTENT_LENGTH', None)
    environ.pop('HTTP_TRANSFER_ENCODING', None)
    environ['uwsgi.modifier1'] = '0'
    environ['uwsgi.modifier2'] = '0'
    environ['gatehouse.listener'] = listener.name
    environ['gatehouse.protocol'] = 'uwsgi'
    return length
