"""Partner integrations: catalogue imports in XML and a legacy encrypted feed."""

from Crypto.Cipher import AES, DES
from defusedxml import ElementTree as SafeElementTree
from flask import Blueprint, jsonify, request
from lxml import etree

bp = Blueprint("integrations", __name__)


@bp.route("/catalogue", methods=["POST"])
def import_catalogue():
    root = etree.fromstring(request.get_data())  # PLANTED CWE-611
    return jsonify(items=len(root))


@bp.route("/catalogue/v2", methods=["POST"])
def import_catalogue_v2():
    root = SafeElementTree.fromstring(request.get_data())  # SAFE-TWIN CWE-611
    return jsonify(items=len(root))


def decrypt_legacy_feed(key: bytes, blob: bytes) -> bytes:
    return DES.new(key, DES.MODE_ECB).decrypt(blob)  # PLANTED CWE-327


def decrypt_feed(key: bytes, nonce: bytes, blob: bytes, tag: bytes) -> bytes:
    return AES.new(key, AES.MODE_GCM, nonce=nonce).decrypt_and_verify(blob, tag)  # SAFE-TWIN CWE-327
