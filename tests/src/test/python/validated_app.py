"""PEP 3333 cases, each wrapped in wsgiref.validate.validator, with every warning turned into an error.

Served by WsgiValidatorTest: any validator complaint becomes an exception in the worker (a 500 and a traceback
in the log) or, for an iterable that is never closed, an "Exception ignored" line in the log.
"""
import hashlib
import os
import sys
import tempfile
import warnings
from wsgiref.validate import validator

warnings.simplefilter('error')

FILE_CONTENT = b''.join(b'line %05d of the wrapped file\n' % i for i in range(4000))
_fd, FILE_PATH = tempfile.mkstemp(prefix='gatehouse-validated-')
os.write(_fd, FILE_CONTENT)
os.close(_fd)

TEXT = [('Content-Type', 'text/plain')]


def get(environ, start_response):
    start_response('200 OK', TEXT)
    lines = ['%s=%s' % (k, environ.get(k, '')) for k in ('REQUEST_METHOD', 'SCRIPT_NAME', 'PATH_INFO',
                                                         'QUERY_STRING', 'wsgi.url_scheme')]
    return [('\n'.join(lines) + '\n').encode('latin-1')]


def post(environ, start_response):
    length = int(environ.get('CONTENT_LENGTH') or 0)
    body = environ['wsgi.input']
    digest = hashlib.sha256()
    got = 0
    while got < length:
        piece = body.read(min(8192, length - got))
        if not piece:
            break
        digest.update(piece)
        got += len(piece)
    start_response('200 OK', TEXT)
    return [('%d %s\n' % (got, digest.hexdigest())).encode()]


def lines(environ, start_response):
    body = environ['wsgi.input']
    first = body.readline()
    limited = body.readline(3)
    rest_of_line = body.readline()
    some = body.readlines(1)
    remaining = [line for line in body]
    start_response('200 OK', TEXT)
    return [repr([first, limited, rest_of_line, some, remaining]).encode()]


def generator(environ, start_response):
    start_response('200 OK', TEXT)

    def chunks():
        for i in range(5):
            yield b'chunk %d\n' % i
    return chunks()


def file_wrapper(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', str(len(FILE_CONTENT)))])
    return environ['wsgi.file_wrapper'](open(FILE_PATH, 'rb'), 8192)


def write(environ, start_response):
    out = start_response('200 OK', TEXT)
    out(b'written ')
    out(b'by write()\n')
    return []


def empty(environ, start_response):
    start_response('200 OK', TEXT)
    return []


def no_content(environ, start_response):
    start_response('204 No Content', [])
    return []


def exc_info(environ, start_response):
    start_response('200 OK', TEXT)
    try:
        raise LookupError('something went missing')
    except LookupError:
        start_response('503 Try Later', [('Content-Type', 'text/plain'), ('Retry-After', '7')], sys.exc_info())
    return [b'replaced by exc_info\n']


def errors(environ, start_response):
    environ['wsgi.errors'].write('validated app writes to wsgi.errors\n')
    environ['wsgi.errors'].flush()
    start_response('200 OK', TEXT)
    return [b'logged\n']


ROUTES = {'/get': get, '/post': post, '/lines': lines, '/generator': generator, '/file': file_wrapper,
          '/write': write, '/empty': empty, '/no-content': no_content, '/exc-info': exc_info, '/errors': errors}


def dispatch(environ, start_response):
    route = ROUTES.get(environ['PATH_INFO'])
    if route is None:
        start_response('404 Not Found', TEXT)
        return [b'no such case\n']
    return route(environ, start_response)


application = validator(dispatch)
