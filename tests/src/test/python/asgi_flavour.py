"""The front-server cases' apps (frontend/AppFlavour.java) as plain ASGI 3 callables, one per mount: each behaves as
its JVM counterpart, so every front-server case runs unchanged against an ASGI app. environ_app prints a CGI environ
rebuilt from the http scope (the keys the scope holds) and from the gatehouse.environ extension (the others)."""
import asyncio
import hashlib


async def read_body(receive):
    """The request body, as chunks, until the last."""
    while True:
        message = await receive()
        if message['type'] == 'http.disconnect':
            raise ConnectionError('the client left')
        yield message.get('body', b'')
        if not message.get('more_body', False):
            return


async def answer(send, status, headers, body):
    await send({'type': 'http.response.start', 'status': status, 'headers': headers})
    await send({'type': 'http.response.body', 'body': body})


def native(text):
    """A str as the native string of its UTF-8 bytes, as a WSGI environ holds it."""
    return text.encode('utf-8').decode('latin-1')


def scope_environ(scope):
    """The CGI variables the http scope holds."""
    root = scope.get('root_path', '')
    path = scope['path']
    query = scope['query_string'].decode('latin-1')
    env = {
        'REQUEST_METHOD': scope['method'],
        'SCRIPT_NAME': native(root),
        'PATH_INFO': native(path[len(root):] if path.startswith(root) else path),
        'QUERY_STRING': query,
        'SERVER_PROTOCOL': 'HTTP/' + scope['http_version'],
        'wsgi.url_scheme': scope['scheme'],
    }
    if scope.get('raw_path') is not None:
        env['REQUEST_URI'] = scope['raw_path'].decode('latin-1') + ('?' + query if query else '')
    if scope.get('client'):
        env['REMOTE_ADDR'], port = scope['client']
        env['REMOTE_PORT'] = str(port)
    if scope.get('server') and scope['server'][1] is not None:
        env['SERVER_PORT'] = str(scope['server'][1])
    for name, value in scope['headers']:
        key = name.decode('latin-1').upper().replace('-', '_')
        if key not in ('CONTENT_TYPE', 'CONTENT_LENGTH'):
            key = 'HTTP_' + key
        env[key] = value.decode('latin-1')
    return env


async def environ_app(scope, receive, send):
    if scope['type'] != 'http':
        return
    length = 0
    async for chunk in read_body(receive):
        length += len(chunk)
    env = dict(scope['extensions']['gatehouse.environ'])
    env.update(scope_environ(scope))
    text = ''.join('%s=%s\n' % item for item in env.items()) + 'body-length=%d\n' % length
    await answer(send, 200, [(b'content-type', b'text/plain; charset=iso-8859-1')], text.encode('latin-1'))


async def echo_app(scope, receive, send):
    if scope['type'] != 'http':
        return
    digest = hashlib.sha256()
    length = 0
    async for chunk in read_body(receive):
        digest.update(chunk)
        length += len(chunk)
    headers = dict(scope['headers'])
    text = 'method=%s\nlength=%d\nsha256=%s\ncontent-length=%s\ncontent-type=%s\n' % (
        scope['method'], length, digest.hexdigest(), headers.get(b'content-length', b'null').decode(),
        headers.get(b'content-type', b'null').decode())
    await answer(send, 200, [(b'content-type', b'text/plain'), (b'content-length', b'%d' % len(text))],
                 text.encode())


BLOCK = bytes(i % 251 for i in range(251 * 261))


async def stream_app(scope, receive, send):
    if scope['type'] != 'http':
        return
    query = scope['query_string'].decode()
    total = int(query[6:]) if query.startswith('bytes=') else 50 * 1000 * 1000
    await send({'type': 'http.response.start', 'status': 200,
                'headers': [(b'content-type', b'application/octet-stream')]})
    sent = 0
    while sent < total:
        n = min(len(BLOCK), total - sent)
        await send({'type': 'http.response.body', 'body': BLOCK[:n], 'more_body': True})
        sent += n
    await send({'type': 'http.response.body', 'body': b''})


async def redirect_app(scope, receive, send):
    if scope['type'] != 'http':
        return
    location = scope.get('root_path', '') + '/target'
    await answer(send, 302, [(b'location', location.encode()), (b'set-cookie', b'seen=1; Path=/'),
                             (b'content-length', b'0')], b'')


async def hello_app(scope, receive, send):
    if scope['type'] != 'http':
        return
    await answer(send, 200, [(b'content-type', b'text/plain'), (b'content-length', b'14')], b'Hello, world!\n')


async def fail_app(scope, receive, send):
    if scope['type'] != 'http':
        return
    await send({'type': 'http.response.start', 'status': 200,
                'headers': [(b'content-type', b'application/octet-stream')]})
    await send({'type': 'http.response.body', 'body': bytes(100000), 'more_body': True})
    await asyncio.sleep(0.3)  # a web server that buffers (lighttpd) has started its response by now
    raise RuntimeError('failing after the head, on purpose')
