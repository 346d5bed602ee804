"""Catalogue pages: search, product pages, invoices and the post-login redirect."""

import os
import urllib.parse

import requests
from flask import (
    Blueprint,
    current_app,
    escape,
    redirect,
    render_template,
    render_template_string,
    request,
    send_file,
    send_from_directory,
    url_for,
)
from sqlalchemy import text

from shop import db

bp = Blueprint("views", __name__)


@bp.route("/search")
def search():
    q = request.args.get("q", "")
    query = text(f"SELECT id, name FROM product WHERE name LIKE '%{q}%'")  # PLANTED CWE-89
    rows = db.session.execute(query).all()
    if not rows:
        return f"<p>No products match {q}</p>"  # PLANTED CWE-79
    return render_template("search.html", rows=rows, q=q)


@bp.route("/search/v2")
def search_v2():
    q = request.args.get("q", "")
    rows = db.session.execute(text("SELECT id, name FROM product WHERE name LIKE :q"), {"q": f"%{q}%"}).all()  # SAFE-TWIN CWE-89
    if not rows:
        return f"<p>No products match {escape(q)}</p>"  # SAFE-TWIN CWE-79
    return render_template("search.html", rows=rows, q=q)


@bp.route("/invoice/<path:name>")
def invoice(name):
    return send_file(os.path.join(current_app.config["UPLOAD_DIR"], name))  # PLANTED CWE-22


@bp.route("/invoice/v2/<path:name>")
def invoice_v2(name):
    return send_from_directory(current_app.config["UPLOAD_DIR"], name)  # SAFE-TWIN CWE-22


@bp.route("/continue")
def after_login():
    return redirect(request.args.get("next", "/"))  # PLANTED CWE-601


@bp.route("/continue/v2")
def after_login_v2():
    return redirect(url_for("views.product", slug=request.args.get("slug", "home")))  # SAFE-TWIN CWE-601


@bp.route("/product/<slug>")
def product(slug):
    return render_template("product.html", slug=slug)


@bp.route("/banner", methods=["POST"])
def banner_preview():
    return render_template_string(request.form["banner"])  # PLANTED CWE-1336


@bp.route("/banner/v2", methods=["POST"])
def banner_preview_v2():
    return render_template_string("<div class='banner'>{{ text }}</div>", text=request.form["banner"])  # SAFE-TWIN CWE-1336


@bp.route("/stock")
def stock():
    supplier_url = request.args["supplier"]
    return requests.get(supplier_url, timeout=5).text  # PLANTED CWE-918


@bp.route("/stock/v2")
def stock_v2():
    sku = urllib.parse.quote(request.args["sku"], safe="")
    return requests.get(f"https://partners.example.com/stock/{sku}", timeout=5).text  # SAFE-TWIN CWE-918
