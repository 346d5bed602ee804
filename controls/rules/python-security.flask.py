# Test cases for python.flask-debug-enabled (a module that imports Flask).
import os

from flask import Flask, render_template

app = Flask(__name__)
# ruleid: python.flask-debug-enabled
app.debug = True
# ruleid: python.flask-debug-enabled
app.config["DEBUG"] = True
# ruleid: python.flask-debug-enabled
app.config.update(SECRET_KEY=os.environ["SECRET_KEY"], DEBUG=True)
# ok: python.flask-debug-enabled
app.config["DEBUG"] = os.environ.get("FLASK_DEBUG") == "1"
# ok: python.flask-debug-enabled
app.config["TESTING"] = True


@app.route("/")
def index():
    return render_template("index.html")


def serve():
    # ruleid: python.flask-debug-enabled
    app.run(debug=True)


if __name__ == "__main__":
    # ruleid: python.flask-debug-enabled
    app.run(host="127.0.0.1", port=5000, debug=True)
    # ok: python.flask-debug-enabled
    app.run(debug=False)
    # ok: python.flask-debug-enabled
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
    # ok: python.flask-debug-enabled
    app.run()
