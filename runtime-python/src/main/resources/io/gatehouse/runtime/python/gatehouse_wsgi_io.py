"""What a WSGI app reads its request body from and wraps a file in for its response, on a lane to the master:
wsgi.input, which asks the master for the body piece by piece as the app reads it, and wsgi.file_wrapper, whose real
files the lanes offer the master to send itself (and the direct path sends with sendfile). Standard library only.
"""
from gatehouse_frames import BODY_NONE, BODY_ON_REQUEST, ClientDisconnected
from gatehouse_response import Lines


class FileWrapper:
    """wsgi.file_wrapper: iterates a file in blocks; the worker hands real files to the master to send instead."""

    def __init__(self, filelike, blksize=8192):
        self.filelike = filelike
        self.blksize = blksize
        if hasattr(filelike, 'close'):
            self.close = filelike.close

    def __iter__(self):
        return self

    def __next__(self):
        data = self.filelike.read(self.blksize)
        if data:
            return data
        raise StopIteration


class Input(Lines):
    """wsgi.input: the request body, fetched from the master piece by piece as the app reads it."""

    def __init__(self, lane, mode):
        self._lane = lane
        self._ask = mode == BODY_ON_REQUEST
        self._done = mode == BODY_NONE
        self._failure = None
        self._chunk = b''
        self._pos = 0

    def _fill(self):
        """Replaces the used-up buffer with the next piece of body; False at the end of the body."""
        if self._failure is not None:
            raise ClientDisconnected(str(self._failure))
        while not self._done:
            try:
                data, self._done = self._lane.body_piece(self._ask)
            except ClientDisconnected as e:
                self._done = True
                self._failure = e
                raise
            if data:
                self._chunk = data
                self._pos = 0
                return True
        self._chunk = b''
        self._pos = 0
        return False

    def read(self, size=-1):
        if size is None or size < 0:
            return self._read_all()
        chunk = self._chunk
        pos = self._pos
        end = pos + size
        if end <= len(chunk):
            self._pos = end
            return chunk[pos:end]
        parts = [chunk[pos:]]
        self._pos = len(chunk)
        need = end - len(chunk)
        while need > 0 and self._fill():
            chunk = self._chunk
            if len(chunk) <= need:
                parts.append(chunk)
                need -= len(chunk)
                self._pos = len(chunk)
            else:
                parts.append(chunk[:need])
                self._pos = need
                need = 0
        return b''.join(parts)

    def _read_all(self):
        parts = [self._chunk[self._pos:]]
        self._pos = len(self._chunk)
        while self._fill():
            parts.append(self._chunk)
            self._pos = len(self._chunk)
        return b''.join(parts)

    def readline(self, size=-1):
        limit = -1 if size is None else size
        parts = []
        taken = 0
        while limit < 0 or taken < limit:
            chunk = self._chunk
            pos = self._pos
            if pos >= len(chunk):
                if not self._fill():
                    break
                continue
            newline = chunk.find(b'\n', pos)
            stop = len(chunk) if newline < 0 else newline + 1
            if 0 <= limit < taken + stop - pos:
                stop = pos + limit - taken
            parts.append(chunk[pos:stop])
            taken += stop - pos
            self._pos = stop
            if newline >= 0 and stop == newline + 1:
                break
        return b''.join(parts)
