"""python3's http.server for `./x.sh lighthouse`, with gzip like an ordinary static host.

    python3 serve.py PORT DIR [--plain]

Text files (HTML, JS, CSS, wasm, JSON, manifest, SVG) go out gzip-compressed when the request
accepts it, as nginx, GitHub Pages or Netlify send them; `--plain` serves every file as is
(exactly `python3 -m http.server`). Binds 127.0.0.1 only.
"""
import gzip
import http.server
import os
import sys
from functools import partial

COMPRESS = {'.html', '.js', '.mjs', '.css', '.wasm', '.json', '.webmanifest', '.svg', '.txt'}


class Handler(http.server.SimpleHTTPRequestHandler):
    cache = {}

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split('?', 1)[0].endswith('/'):
                return super().send_head()  # its redirect to the folder's slash
            path = os.path.join(path, 'index.html')
        accepts = 'gzip' in self.headers.get('Accept-Encoding', '')
        if not accepts or os.path.splitext(path)[1] not in COMPRESS or not os.path.isfile(path):
            return super().send_head()
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
        body = self.cache.get(key)
        if body is None:
            with open(path, 'rb') as f:
                body = gzip.compress(f.read(), 6)
            self.cache[key] = body
        self.send_response(200)
        self.send_header('Content-Type', self.guess_type(path))
        self.send_header('Content-Encoding', 'gzip')
        self.send_header('Vary', 'Accept-Encoding')
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Last-Modified', self.date_time_string(stat.st_mtime))
        self.end_headers()
        return _Body(body)


class _Body:
    """What send_head returns: copyfile reads it, then it is closed."""

    def __init__(self, data):
        self.data = data

    def read(self, n=-1):
        data, self.data = self.data, b''
        return data

    def close(self):
        pass


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    plain = '--plain' in sys.argv[3:]
    handler = partial(http.server.SimpleHTTPRequestHandler if plain else Handler, directory=directory)
    with http.server.ThreadingHTTPServer(('127.0.0.1', port), handler) as server:
        server.serve_forever()


if __name__ == '__main__':
    main()
