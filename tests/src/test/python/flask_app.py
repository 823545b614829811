"""A small Flask app for FlaskAppTest: routing, query strings, forms, JSON, uploads, cookies, redirects, streams."""
import hashlib
import os

from flask import Flask, Response, jsonify, make_response, redirect, request, url_for

app = Flask(__name__)


@app.route('/')
def index():
    return 'Hello from Flask\n'


@app.route('/hello/<name>')
def hello(name):
    return 'Hello, %s!\n' % name


@app.route('/query')
def query():
    return jsonify(sorted((k, v) for k, vs in request.args.lists() for v in vs))


@app.route('/form', methods=['POST'])
def form():
    return 'name=%s city=%s\n' % (request.form['name'], request.form['city'])


@app.route('/json', methods=['POST'])
def json_echo():
    data = request.get_json()
    return jsonify(received=data, total=sum(data['numbers']))


@app.route('/upload', methods=['POST'])
def upload():
    digest = hashlib.sha256()
    size = 0
    stream = request.stream
    while True:
        piece = stream.read(65536)
        if not piece:
            break
        digest.update(piece)
        size += len(piece)
    return '%d %s\n' % (size, digest.hexdigest())


@app.route('/cookie/set')
def set_cookie():
    response = make_response('cookie set\n')
    response.set_cookie('flavour', 'oatmeal raisin')
    response.set_cookie('session', 'abc123', httponly=True)
    return response


@app.route('/cookie/get')
def get_cookie():
    return 'flavour=%s session=%s\n' % (request.cookies.get('flavour'), request.cookies.get('session'))


@app.route('/old')
def old():
    return redirect(url_for('hello', name='redirected'))


@app.route('/stream')
def stream():
    def rows():
        for i in range(1000):
            yield 'row %04d\n' % i
    return Response(rows(), mimetype='text/plain')


@app.route('/raw/<path:rest>')
def raw(rest):
    path = request.environ['PATH_INFO']
    return jsonify(path_info_latin1_hex=path.encode('latin-1').hex(), rest=rest)


@app.route('/pid')
def pid():
    return '%d\n' % os.getpid()
