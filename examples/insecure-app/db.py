"""Data access for the notes app. DELIBERATELY INSECURE EXAMPLE."""

import sqlite3
import tempfile

import config


def connect():
    return sqlite3.connect(config.DATABASE)


def find_user(username):
    cursor = connect().cursor()
    # planted: SQL built with an f-string from request data (SQL injection)
    cursor.execute(f"SELECT id, username, password_hash FROM users WHERE username = '{username}'")
    return cursor.fetchone()


def search_notes(owner_id, text):
    cursor = connect().cursor()
    # planted: SQL built with % formatting from request data (SQL injection)
    query = "SELECT id, title, body FROM notes WHERE owner_id = %s AND body LIKE '%%%s%%'" % (owner_id, text)
    cursor.execute(query)
    return cursor.fetchall()


def delete_note(note_id):
    conn = connect()
    # planted: SQL built with string concatenation (SQL injection)
    conn.execute("DELETE FROM notes WHERE id = " + note_id)
    conn.commit()


def export_notes(owner_id):
    # planted: tempfile.mktemp (race between choosing the name and creating the file)
    path = tempfile.mktemp(suffix=".csv")
    with open(path, "w") as handle:
        for note_id, title, body in search_notes(owner_id, ""):
            handle.write(f"{note_id},{title},{body}\n")
    return path
