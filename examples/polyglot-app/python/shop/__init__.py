"""Application factory for the shop."""

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

db = SQLAlchemy()
csrf = CSRFProtect()


def create_app(config_object: str = "shop.config") -> Flask:
    app = Flask(__name__)
    app.config.from_object(config_object)
    db.init_app(app)
    csrf.init_app(app)

    from shop import auth, integrations, views

    app.register_blueprint(views.bp)
    app.register_blueprint(auth.bp, url_prefix="/account")
    app.register_blueprint(integrations.bp, url_prefix="/integrations")
    return app
