"""The WSGI app of the flood and slow-client tests: its pid, a long download, and an upload it hashes as it reads."""
import hashlib
import os
from urllib.parse import parse_qs

TEXT = [('Content-Type', 'text/plain')]


def query(environ, name, default):
    return parse_qs(environ.get('QUERY_STRING', '')).get(name, [default])[0]


def application(environ, start_response):
    path = environ['PATH_INFO']
    if path == '/pid':
        start_response('200 OK', TEXT)
        return [b'%d\n' % os.getpid()]
    if path == '/download':
        size = int(query(environ, 'bytes', '1048576'))
        start_response('200 OK', [('Content-Type', 'application/octet-stream'), ('Content-Length', str(size))])
        return download(size)
    if path == '/upload':
        body = environ['wsgi.input']
        sha = hashlib.sha256()
        length = 0
        while True:
            chunk = body.read(1 << 16)
            if not chunk:
                break
            sha.update(chunk)
            length += len(chunk)
        start_response('200 OK', TEXT)
        return [b'length=%d\nsha256=%s\n' % (length, sha.hexdigest().encode())]
    start_response('200 OK', TEXT)
    return [b'hello\n']


def download(size):
    block = b'\0' * (1 << 16)
    sent = 0
    while sent < size:
        piece = block[:min(len(block), size - sent)]
        sent += len(piece)
        yield piece
