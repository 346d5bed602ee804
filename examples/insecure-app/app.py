"""A small notes web app. DELIBERATELY INSECURE EXAMPLE for ssdf-baseline.

Never deploy or run this. Each weakness is marked with a "planted:" comment.
"""

import pickle

import requests
import yaml
from flask import Flask, jsonify, request, session

import auth
import config
import db
import render
import tasks

app = Flask(__name__)
app.secret_key = config.SECRET_KEY


@app.route("/login", methods=["POST"])
def login():
    if auth.check_login(request.form["username"], request.form["password"]):
        session["user"] = request.form["username"]
        return "ok"
    return "denied", 403


@app.route("/calc")
def calc():
    # planted: eval on request data (code injection)
    result = eval(request.args.get("expr", "0"))
    return jsonify(result=result)


@app.route("/ping")
def ping():
    return tasks.ping_host(request.args["host"])


@app.route("/whois")
def whois():
    return str(tasks.whois(request.args["domain"]))


@app.route("/import", methods=["POST"])
def import_notes():
    # planted: yaml.load without SafeLoader (arbitrary object construction)
    notes = yaml.load(request.data, Loader=yaml.Loader)
    return jsonify(count=len(notes))


@app.route("/session/restore", methods=["POST"])
def restore_session():
    # planted: pickle.loads of the request body (remote code execution)
    state = pickle.loads(request.get_data())
    session.update(state)
    return "restored"


@app.route("/preview")
def preview():
    # planted: TLS certificate verification disabled (and no timeout)
    page = requests.get(request.args["url"], verify=False)
    return page.text


@app.route("/search")
def search():
    results = db.search_notes(session.get("user_id", 0), request.args.get("q", ""))
    return render.render_search(request.args.get("q", ""), results)


@app.route("/admin/notes/<note_id>", methods=["DELETE"])
def admin_delete(note_id):
    auth.require_admin()
    db.delete_note(note_id)
    return "", 204


@app.route("/export")
def export():
    return db.export_notes(session.get("user_id", 0))


if __name__ == "__main__":
    # planted: debug mode (interactive debugger) listening on all interfaces
    app.run(debug=True, host="0.0.0.0")
