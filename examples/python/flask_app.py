"""A small Flask app (Debian's python3-flask), served by examples/python-hello.yaml and the bench scripts."""
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route('/')
def hello():
    return 'Hello, world!\n'


@app.route('/json')
def as_json():
    return jsonify(message='Hello, world!', numbers=[1, 2, 3], ok=True)


@app.route('/greet/<name>')
def greet(name):
    return 'Hello, %s!\n' % name


@app.route('/sum', methods=['POST'])
def total():
    numbers = request.get_json(force=True).get('numbers', [])
    return jsonify(total=sum(numbers), count=len(numbers))
