# Tests for python-web.yaml: a Flask application (flask.request, route variables).
import os
import subprocess
import urllib.parse

import jsonpickle
import requests
from flask import Flask, Markup, escape, make_response, redirect, render_template, request, send_file, send_from_directory, url_for
from flask import render_template_string
from lxml import etree
from PIL import ImageMath
from werkzeug.utils import secure_filename

app = Flask(__name__)
BASE = "/srv/uploads"
ALLOWED_HOSTS = {"api.example.com", "cdn.example.com"}


@app.route("/fetch")
def fetch():
    url = request.args.get("url")
    # ruleid: python.ssrf-from-request
    return requests.get(url, timeout=5).text


@app.route("/fetch-fixed")
def fetch_fixed():
    item = request.args.get("item")
    # the host is fixed in code; only the escaped path varies
    # ok: python.ssrf-from-request
    return requests.get(f"https://api.example.com/items/{urllib.parse.quote(item)}", timeout=5).text


@app.route("/fetch-allowed")
def fetch_allowed():
    host = request.args.get("host")
    if host not in ALLOWED_HOSTS:
        return "no", 400
    # ok: python.ssrf-from-request
    return requests.get(host, timeout=5).text


@app.route("/session-fetch")
def session_fetch():
    session = requests.Session()
    target = request.form["target"]
    # ruleid: python.ssrf-from-request
    return session.post(target, timeout=5).text


@app.route("/download")
def download():
    name = request.args["name"]
    # ruleid: python.path-traversal-from-request
    return send_file(os.path.join(BASE, name))


@app.route("/download-safe")
def download_safe():
    name = request.args["name"]
    # ok: python.path-traversal-from-request
    return send_file(os.path.join(BASE, secure_filename(name)))


@app.route("/download-dir")
def download_dir():
    # send_from_directory refuses paths outside the directory
    # ok: python.path-traversal-from-request
    return send_from_directory(BASE, request.args["name"])


@app.route("/read/<path:filename>")
def read(filename):
    # ruleid: python.path-traversal-from-request
    with open(os.path.join(BASE, filename)) as f:
        return f.read()


@app.route("/read-checked/<path:filename>")
def read_checked(filename):
    full = os.path.realpath(os.path.join(BASE, filename))
    if not full.startswith(BASE + os.sep):
        return "no", 400
    # ok: python.path-traversal-from-request
    with open(full) as f:
        return f.read()


@app.route("/next")
def go_next():
    # ruleid: python.open-redirect-from-request
    return redirect(request.args.get("next"))


@app.route("/next-local")
def go_next_local():
    # ok: python.open-redirect-from-request
    return redirect(url_for("profile", name=request.args.get("name")))


@app.route("/user-page")
def user_page():
    # a path on this site
    # ok: python.open-redirect-from-request
    return redirect("/users/" + request.args.get("name", ""))


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: python.xss-from-request
    return f"<h1>Hello {name}</h1>"


@app.route("/hello-escaped")
def hello_escaped():
    name = request.args.get("name", "")
    # ok: python.xss-from-request
    return f"<h1>Hello {escape(name)}</h1>"


@app.route("/hello-template")
def hello_template():
    # ok: python.xss-from-request
    return render_template("hello.html", name=request.args.get("name"))


@app.route("/bio")
def bio():
    # ruleid: python.xss-from-request
    return make_response(Markup(request.form["bio"]))


@app.route("/preview", methods=["POST"])
def preview():
    tpl = request.form["template"]
    # ruleid: python.template-injection-from-request
    return render_template_string(tpl)


@app.route("/preview-safe", methods=["POST"])
def preview_safe():
    # ok: python.template-injection-from-request
    return render_template_string("<p>{{ body }}</p>", body=request.form["template"])


@app.route("/preview-formatted", methods=["POST"])
def preview_formatted():
    # python.template-injection (python-security.yaml) reports this one, not this pack
    # ok: python.template-injection-from-request
    return render_template_string("<p>%s</p>" % request.form["body"])


@app.route("/xml", methods=["POST"])
def parse_xml():
    # ruleid: python.xml-parse-request-data
    root = etree.fromstring(request.get_data())
    return root.tag


@app.route("/xml-hardened", methods=["POST"])
def parse_xml_hardened():
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    # ok: python.xml-parse-request-data
    root = etree.fromstring(request.get_data(), parser)
    return root.tag


@app.route("/xpath")
def xpath_search():
    tree = etree.parse("users.xml")
    name = request.args["name"]
    # ruleid: python.xpath-injection-from-request
    return str(tree.xpath("//user[@name='" + name + "']"))


@app.route("/xpath-vars")
def xpath_vars():
    tree = etree.parse("users.xml")
    # ok: python.xpath-injection-from-request
    return str(tree.xpath("//user[@name=$name]", name=request.args["name"]))


@app.route("/state", methods=["POST"])
def load_state():
    # ruleid: python.deserialization-from-request
    state = jsonpickle.decode(request.form["state"])
    return str(state)


@app.route("/state-json", methods=["POST"])
def load_state_json():
    # ok: python.deserialization-from-request
    state = jsonpickle.encode(request.form["state"])
    return str(state)


@app.route("/math", methods=["POST"])
def math():
    expr = request.form["expr"]
    # ruleid: python.code-injection-from-request
    return str(ImageMath.eval(expr, a=1))


@app.route("/math-fixed", methods=["POST"])
def math_fixed():
    # ok: python.code-injection-from-request
    return str(ImageMath.eval("a + b", a=int(request.form["a"]), b=2))


@app.route("/run")
def run_tool():
    # python.subprocess-shell-injection reports shell commands; no second finding here
    return subprocess.run(["git", "log", request.args["ref"]], capture_output=True).stdout
