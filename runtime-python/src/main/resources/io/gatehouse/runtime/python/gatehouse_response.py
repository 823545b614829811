"""What a WSGI response is on either path of a worker, its lanes to the master and the direct path
(gatehouse_direct_exchange), so that the two answer alike: what start_response accepts, the length a response
declares, the body an app may return, and the lines of a wsgi.input. Standard library only, as the worker.
"""
import re
import sys

# A final status (200..599) and its reason phrase; response header names are tokens (RFC 9110 5.1 and 15). Field
# values and the reason phrase hold no control character but HTAB and nothing above a byte (RFC 9110 5.5): a CR,
# LF or NUL would split the response. The master checks all of it again; here the app learns of it in its traceback.
STATUS = re.compile(r'[2-5][0-9][0-9] ')
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
FIELD_BAD = re.compile('[\x00-\x08\x0a-\x1f\x7f\u0100-\U0010ffff]')


def check_head(status, headers):
    """Refuses a status or header list a response must not carry (it would split the response or break HTTP)."""
    if type(status) is not str or not STATUS.match(status) or FIELD_BAD.search(status):
        raise ValueError('status must be a str such as "200 OK": a final status (200..599) and a reason phrase '
                         'without control characters, got %r' % (status,))
    if type(headers) is not list:
        raise TypeError('response headers must be a list of (name, value) tuples, got %s'
                        % type(headers).__name__)
    for field in headers:
        if type(field) is not tuple or len(field) != 2:
            raise TypeError('a response header must be a (name, value) tuple, got %r' % (field,))
        name, value = field
        if type(name) is not str or type(value) is not str:
            raise TypeError('response header names and values must be str, got %r' % (field,))
        if not TOKEN.match(name):
            raise ValueError('response header name %r is not a token (letters, digits and !#$%%&\'*+-.^_`|~)'
                             % (name,))
        if FIELD_BAD.search(value):
            raise ValueError('response header %r has a control character (CR, LF, NUL...) or a character above '
                             '\\xff in its value: %r' % (name, value))


BARE_BYTES_WARNED = []


def bare_bytes_body(body):
    """A bare bytes body, which uWSGI serves as one chunk: served the same, with one warning per worker process."""
    if not BARE_BYTES_WARNED:
        BARE_BYTES_WARNED.append(True)
        sys.stderr.write('gatehouse: warning: the application returned a bare bytes object as its body; it is '
                         'served as one chunk, as uWSGI does, but PEP 3333 wants an iterable of bytes: return '
                         '[body] (said once per worker process)\n')
    return bytes(body)


def body_of(result):
    """The iterable to send of what the app returned: a bare bytes object is served as one chunk, a str refused."""
    if type(result) is bytes or type(result) is bytearray:
        return [bare_bytes_body(result)]
    if isinstance(result, str):
        raise TypeError('the application returned a str as its body; PEP 3333 wants an iterable of bytes, '
                        'e.g. [body.encode()]')
    return result


class Response:
    """start_response and what follows from the head it was given, for the classes that send a WSGI response (the
    lanes to the master, and the direct path's connections); they keep status, headers and headers_sent, and have
    write()."""

    def start_response(self, status, headers, exc_info=None):
        if exc_info:
            try:
                if self.headers_sent:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self.status is not None:
            raise AssertionError('start_response() was called a second time without exc_info')
        check_head(status, headers)
        self.status = status
        self.headers = headers
        return self.write

    def declared_length(self):
        for name, value in self.headers:
            if name.lower() == 'content-length':
                try:
                    return int(value)
                except ValueError:
                    return None
        return None


class Lines:
    """readlines() and iteration, over the readline() of a wsgi.input (both workers' kinds)."""

    def readlines(self, hint=-1):
        lines = []
        total = 0
        for line in self:
            lines.append(line)
            total += len(line)
            if hint is not None and 0 < hint <= total:
                break
        return lines

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if line:
            return line
        raise StopIteration
