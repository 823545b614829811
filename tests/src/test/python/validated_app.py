"""PEP 3333 cases, each wrapped in wsgiref.validate.validator, with every warning turned into an error.

Served by WsgiValidatorTest (the callable ``application``) and by EnvironMatrixTest and the tests behind nginx
(``report``): any validator complaint becomes an exception in the worker (a 500 and a traceback in the log) or, for
an iterable that is never closed, an "Exception ignored" line in the log.
"""
import hashlib
import os
import re
import sys
import tempfile
import warnings
from wsgiref.validate import validator

warnings.simplefilter('error')

FILE_CONTENT = b''.join(b'line %05d of the wrapped file\n' % i for i in range(4000))
_FILE_PATH = []

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


def file_path():
    """The wrapped file, written once per process that serves /file (not on import: most importers never do)."""
    if not _FILE_PATH:
        fd, path = tempfile.mkstemp(prefix='gatehouse-validated-')
        os.write(fd, FILE_CONTENT)
        os.close(fd)
        _FILE_PATH.append(path)
    return _FILE_PATH[0]


def file_wrapper(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', str(len(FILE_CONTENT)))])
    return environ['wsgi.file_wrapper'](open(file_path(), 'rb'), 8192)


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


REPORTED_TYPES = (str, bool, int, tuple)
CELL = re.compile(r'[A-Za-z0-9_.-]{1,100}')


def environ_report(environ, start_response):
    """Reads the whole body and answers the environ as sorted KEY=value lines (ISO-8859-1, as native strings are).

    Every str, bool, int and tuple value is reported, then body.length and body.sha256 of what wsgi.input gave,
    process.cwd, and process.env.UWSGI_TEST (what a uWSGI magic variable would have set). The body is read in
    pieces up to CONTENT_LENGTH, or to its end where there is none (wsgi.input_terminated). When the environment
    variable MATRIX_REPORTS names a directory and the request carries X-Matrix-Cell, the report is also written to
    MATRIX_REPORTS/CELL.env, so that a HEAD request's report can be read too.
    """
    body = environ['wsgi.input']
    length = environ.get('CONTENT_LENGTH')
    remaining = int(length) if length else None
    digest = hashlib.sha256()
    got = 0
    while remaining is None or remaining > 0:
        piece = body.read(65536 if remaining is None else min(65536, remaining))
        if not piece:
            break
        digest.update(piece)
        got += len(piece)
        if remaining is not None:
            remaining -= len(piece)
    lines = ['%s=%s' % (k, v) for k, v in environ.items() if type(v) in REPORTED_TYPES]
    lines += ['body.length=%d' % got, 'body.sha256=%s' % digest.hexdigest(), 'process.cwd=%s' % os.getcwd(),
              'process.env.UWSGI_TEST=%s' % os.environ.get('UWSGI_TEST', '')]
    report = ('\n'.join(sorted(lines)) + '\n').encode('latin-1')
    cell = environ.get('HTTP_X_MATRIX_CELL', '')
    reports = os.environ.get('MATRIX_REPORTS')
    if reports and CELL.fullmatch(cell):
        with open(os.path.join(reports, cell + '.env'), 'wb') as out:
            out.write(report)
    start_response('200 OK', [('Content-Type', 'text/plain; charset=iso-8859-1'),
                              ('Content-Length', str(len(report)))])
    return [report]


report = validator(environ_report)
