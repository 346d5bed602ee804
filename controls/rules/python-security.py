# Test cases for python-security.yaml (run: semgrep --test controls/rules).
# This file is never executed; it only has to parse.
import ast
import asyncio
import builtins
import hashlib
import json
import os
import pickle
import shelve
import socket
import sqlite3
import ssl
import subprocess
import tempfile
from http.server import HTTPServer, SimpleHTTPRequestHandler

import dill
import httpx
import jinja2
import requests
import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from yaml import SafeLoader


# ============================================================================ eval / exec
def eval_cases(user_input, expr, model, code_obj):
    # ruleid: python.eval-exec-dynamic
    eval(user_input)
    # ruleid: python.eval-exec-dynamic
    exec("result = " + expr)
    # ruleid: python.eval-exec-dynamic
    eval(f"{expr} + 1", {"__builtins__": {}})
    # ruleid: python.eval-exec-dynamic
    exec(code_obj, globals())
    # ruleid: python.eval-exec-dynamic
    builtins.eval(expr)

    # ok: python.eval-exec-dynamic
    eval("1 + 2")
    # ok: python.eval-exec-dynamic
    exec("import math")
    # ok: python.eval-exec-dynamic
    ast.literal_eval(user_input)
    # ok: python.eval-exec-dynamic
    model.eval()
    # ok: python.eval-exec-dynamic
    model.eval(expr)
    # ok: python.eval-exec-dynamic
    model.exec(user_input)
    # ok: python.eval-exec-dynamic
    json.loads(user_input)
    # ok: python.eval-exec-dynamic
    exec(compile("def _raise(e): raise e", "<compat>", "exec"))
    with open("settings.cfg") as config_file:
        # ok: python.eval-exec-dynamic
        exec(compile(config_file.read(), "settings.cfg", "exec"), {})


# ============================================================================ shell commands
def shell_cases(filename, ref, cmd, loop, proto):
    # ruleid: python.subprocess-shell-injection
    subprocess.run(f"ls -l {filename}", shell=True, check=True)
    # ruleid: python.subprocess-shell-injection
    subprocess.call("git log " + ref, shell=True)
    # ruleid: python.subprocess-shell-injection
    subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE)
    # ruleid: python.subprocess-shell-injection
    subprocess.check_output("tar czf %s ." % filename, shell=True)
    # ruleid: python.subprocess-shell-injection
    subprocess.getoutput("cat {}".format(filename))
    # ruleid: python.subprocess-shell-injection
    os.system("rm -rf " + filename)
    # ruleid: python.subprocess-shell-injection
    os.popen(cmd).read()
    # ruleid: python.subprocess-shell-injection
    asyncio.create_subprocess_shell(f"convert {filename} out.png")

    # ok: python.subprocess-shell-injection
    subprocess.run(["ls", "-l", filename], check=True)
    # ok: python.subprocess-shell-injection
    subprocess.run("ls -l /tmp", shell=True)
    # ok: python.subprocess-shell-injection
    subprocess.check_output(["git", "log", ref], shell=False)
    # ok: python.subprocess-shell-injection
    subprocess.Popen(cmd)
    # ok: python.subprocess-shell-injection
    os.system("clear")
    # ok: python.subprocess-shell-injection
    os.popen("uname -a").read()


# ============================================================================ YAML
class ProjectLoader(yaml.SafeLoader):
    pass


def yaml_cases(stream, text):
    # ruleid: python.yaml-unsafe-load
    yaml.load(stream)
    # ruleid: python.yaml-unsafe-load
    yaml.load(stream, Loader=yaml.Loader)
    # ruleid: python.yaml-unsafe-load
    yaml.load(stream, Loader=yaml.UnsafeLoader)
    # ruleid: python.yaml-unsafe-load
    yaml.load(text, yaml.FullLoader)
    # ruleid: python.yaml-unsafe-load
    yaml.unsafe_load(text)
    # ruleid: python.yaml-unsafe-load
    list(yaml.load_all(stream, Loader=yaml.Loader))

    # ok: python.yaml-unsafe-load
    yaml.safe_load(stream)
    # ok: python.yaml-unsafe-load
    yaml.load(stream, Loader=yaml.SafeLoader)
    # ok: python.yaml-unsafe-load
    yaml.load(stream, Loader=SafeLoader)
    # ok: python.yaml-unsafe-load
    yaml.load(text, yaml.CSafeLoader)
    # ok: python.yaml-unsafe-load
    yaml.load_all(stream, Loader=yaml.BaseLoader)
    # ok: python.yaml-unsafe-load
    yaml.load(stream, Loader=ProjectLoader)
    # ok: python.yaml-unsafe-load
    yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# ============================================================================ pickle family
def pickle_cases(blob, fh, path):
    # ruleid: python.pickle-deserialization
    pickle.loads(blob)
    # ruleid: python.pickle-deserialization
    pickle.load(fh)
    # ruleid: python.pickle-deserialization
    pickle.Unpickler(fh).load()
    # ruleid: python.pickle-deserialization
    dill.loads(blob)
    # ruleid: python.pickle-deserialization
    db = shelve.open(path)

    # ok: python.pickle-deserialization
    pickle.dumps({"a": 1})
    # ok: python.pickle-deserialization
    pickle.dump(db, fh)
    # ok: python.pickle-deserialization
    json.loads(blob)


def cpickle_cases(blob):
    import cPickle

    # ruleid: python.pickle-deserialization
    return cPickle.loads(blob)


# ============================================================================ weak hashes
def hash_cases(data, password):
    # ruleid: python.weak-hash
    hashlib.md5(password).hexdigest()
    # ruleid: python.weak-hash
    hashlib.sha1(data)
    # ruleid: python.weak-hash
    hashlib.new("md5", data)
    # ruleid: python.weak-hash
    hashlib.new("SHA1")
    # ruleid: python.weak-hash
    hashlib.md5(data, usedforsecurity=True)

    # ok: python.weak-hash
    hashlib.md5(data, usedforsecurity=False).hexdigest()
    # ok: python.weak-hash
    hashlib.new("md5", data, usedforsecurity=False)
    # ok: python.weak-hash
    hashlib.sha256(data)
    # ok: python.weak-hash
    hashlib.new("sha512", data)
    # ok: python.weak-hash
    hashlib.blake2b(data)


def hash_imported_name(data):
    from hashlib import md5

    # ruleid: python.weak-hash
    return md5(data).digest()


# ============================================================================ TLS verification
def tls_cases(url, payload, ca_bundle):
    # ruleid: python.tls-verify-disabled
    requests.get(url, verify=False)
    # ruleid: python.tls-verify-disabled
    requests.post(url, json=payload, verify=False, timeout=10)
    # ruleid: python.tls-verify-disabled
    httpx.get(url, verify=False)
    # ruleid: python.tls-verify-disabled
    client = httpx.Client(verify=False)
    session = requests.Session()
    # ruleid: python.tls-verify-disabled
    session.verify = False
    # ruleid: python.tls-verify-disabled
    session.get(url, verify=False)
    # ruleid: python.tls-verify-disabled
    ctx = ssl._create_unverified_context()

    # ok: python.tls-verify-disabled
    requests.get(url, timeout=10)
    # ok: python.tls-verify-disabled
    requests.get(url, verify=ca_bundle)
    # ok: python.tls-verify-disabled
    httpx.Client(verify=True)
    # ok: python.tls-verify-disabled
    session.get(url)
    # ok: python.tls-verify-disabled
    ctx = ssl.create_default_context()
    # ok: python.tls-verify-disabled
    return client, ctx, payload.verify(signature=False)


# ============================================================================ tempfile
def tempfile_cases():
    # ruleid: python.tempfile-mktemp
    name = tempfile.mktemp()
    # ruleid: python.tempfile-mktemp
    other = tempfile.mktemp(suffix=".txt", dir="/tmp")

    # ok: python.tempfile-mktemp
    fd, path = tempfile.mkstemp()
    # ok: python.tempfile-mktemp
    with tempfile.NamedTemporaryFile() as fh:
        pass
    # ok: python.tempfile-mktemp
    with tempfile.TemporaryDirectory() as tmp:
        pass
    return name, other, fd, path, fh, tmp


def tempfile_imported_name():
    from tempfile import mktemp

    # ruleid: python.tempfile-mktemp
    return mktemp(prefix="report-")


# ============================================================================ jinja2
def jinja_cases(template_dir, options):
    # ruleid: python.jinja2-autoescape-off
    jinja2.Environment(loader=jinja2.FileSystemLoader(template_dir))
    # ruleid: python.jinja2-autoescape-off
    Environment(loader=FileSystemLoader(template_dir), autoescape=False)
    # ruleid: python.jinja2-autoescape-off
    jinja2.Environment()
    # ruleid: python.jinja2-autoescape-off
    SandboxedEnvironment(autoescape=False)

    # ok: python.jinja2-autoescape-off
    jinja2.Environment(loader=jinja2.FileSystemLoader(template_dir), autoescape=True)
    # ok: python.jinja2-autoescape-off
    Environment(loader=FileSystemLoader(template_dir), autoescape=select_autoescape(["html"]))
    # ok: python.jinja2-autoescape-off
    Environment(**options)
    # ok: python.jinja2-autoescape-off
    SandboxedEnvironment(autoescape=True)


# ============================================================================ template source
def template_cases(env, query, name, results, stored_template):
    from flask import render_template_string

    # ruleid: python.template-injection
    env.from_string("<h1>Results for " + query + "</h1>")
    # ruleid: python.template-injection
    render_template_string(f"<p>Hello {name}</p>")
    page = "<h1>%s</h1>" % name
    # ruleid: python.template-injection
    render_template_string(page)
    # ruleid: python.template-injection
    jinja2.Template("<b>{}</b>".format(name)).render()

    # ok: python.template-injection
    env.from_string("<h1>Results for {{ q }}</h1>").render(q=query)
    # ok: python.template-injection
    render_template_string("<p>Hello {{ name }}</p>", name=name)
    # ok: python.template-injection
    env.from_string(stored_template)
    # ok: python.template-injection
    env.get_template(name + ".html").render(results=results)


# ============================================================================ SQL
BASE_QUERY = "SELECT id, name FROM users"


def sql_cases(conn, cur, user_id, name, table, rows):
    # ruleid: python.sql-string-formatting
    cur.execute(f"SELECT * FROM users WHERE id = {user_id}")
    # ruleid: python.sql-string-formatting
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)
    # ruleid: python.sql-string-formatting
    cur.execute("DELETE FROM users WHERE name = '{}'".format(name))
    # ruleid: python.sql-string-formatting
    conn.execute("UPDATE users SET name = '" + name + "' WHERE id = 1")
    # ruleid: python.sql-string-formatting
    cur.executemany(f"INSERT INTO {table} VALUES (?, ?)", rows)
    query = "SELECT name FROM users WHERE id = %s" % user_id
    # ruleid: python.sql-string-formatting
    cur.execute(query)
    # ruleid: python.sql-string-formatting
    conn.executescript(f"DROP TABLE {table}")

    # ok: python.sql-string-formatting
    cur.execute("SELECT * FROM users WHERE id = %s", (user_id,))
    # ok: python.sql-string-formatting
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    # ok: python.sql-string-formatting
    cur.execute("SELECT * FROM users")
    # ok: python.sql-string-formatting
    cur.executemany("INSERT INTO users VALUES (?, ?)", rows)
    safe = "SELECT * FROM users WHERE id = :id"
    # ok: python.sql-string-formatting
    cur.execute(safe, {"id": user_id})
    # ok: python.sql-string-formatting
    cur.execute(f"SELECT 1")
    # ok: python.sql-string-formatting
    executor.execute(f"build {name}")
    # ok: python.sql-string-formatting
    sqlite3.connect(f"{name}.db")
    # ok: python.sql-string-formatting
    cur.execute("SELECT id, name FROM users" + " WHERE id = %s", (user_id,))
    # ok: python.sql-string-formatting
    cur.execute(BASE_QUERY + " WHERE id = %s", (user_id,))
    # ok: python.sql-string-formatting
    cur.execute(psycopg2_sql.SQL("SELECT * FROM {} WHERE id = %s").format(psycopg2_sql.Identifier(table)), (user_id,))
    # ruleid: python.sql-string-formatting
    conn.execute(sqlalchemy.text(f"SELECT * FROM users WHERE name = '{name}'"))


# ============================================================================ bind all interfaces
HOST = "0.0.0.0"


def bind_cases(app, port, handler, uvicorn, zmq_socket):
    # ruleid: python.bind-all-interfaces
    app.run(host="0.0.0.0", port=8080)
    # ruleid: python.bind-all-interfaces
    uvicorn.run(app, host="0.0.0.0", port=port)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # ruleid: python.bind-all-interfaces
    sock.bind(("0.0.0.0", port))
    # ruleid: python.bind-all-interfaces
    HTTPServer(("0.0.0.0", 8000), SimpleHTTPRequestHandler)
    # ruleid: python.bind-all-interfaces
    app.run(host=HOST)
    # ruleid: python.bind-all-interfaces
    zmq_socket.bind("tcp://*:5555")
    # ruleid: python.bind-all-interfaces
    sock.bind(("::", port))

    # ok: python.bind-all-interfaces
    app.run(host="127.0.0.1", port=8080)
    # ok: python.bind-all-interfaces
    sock.bind(("localhost", port))
    # ok: python.bind-all-interfaces
    app.run(host=os.environ.get("BIND_HOST", "127.0.0.1"))
    # ok: python.bind-all-interfaces
    app.run(host=os.environ.get("BIND_HOST", "0.0.0.0"))
    # ok: python.bind-all-interfaces
    zmq_socket.connect("tcp://0.0.0.0:5555")
    # ok: python.bind-all-interfaces
    HTTPServer(("127.0.0.1", 8000), handler)


def yaml_more_cases(stream, loader_cls):
    from yaml import Loader, FullLoader

    # ruleid: python.yaml-unsafe-load
    yaml.load(stream, Loader=Loader)
    # ruleid: python.yaml-unsafe-load
    yaml.load(stream, FullLoader)
    # ok: python.yaml-unsafe-load
    yaml.load(stream, Loader=loader_cls)


def ruamel_cases(text):
    import ruamel.yaml

    yaml = ruamel.yaml.YAML(typ="safe", pure=True)
    # ok: python.yaml-unsafe-load
    return yaml.load(text)
