"""A small Flask app (Debian's python3-flask), served by examples/python-hello.yaml and bench/python-flask.sh."""
from flask import Flask, jsonify, request

app = Flask(__name__)
NOTES = []


@app.route('/')
def hello():
    return 'Hello, world!\n'


@app.route('/greet/<name>')
def greet(name):
    return 'Hello, %s!\n' % name


@app.route('/notes', methods=['GET', 'POST'])
def notes():
    if request.method == 'POST':
        NOTES.append(request.get_json(force=True).get('text', ''))
        return jsonify(count=len(NOTES)), 201
    return jsonify(notes=NOTES)
