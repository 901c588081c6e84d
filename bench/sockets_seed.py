"""Seeds bench/sockets.sh's idle accounts straight into Lotse's SQLite database (the server is stopped meanwhile):
N copies of one account signed up through the API (the template, found by its bearer token), each with its own ID
and address, and one session each with a fresh bearer token. Writes the tokens, one per line.

Usage: sockets_seed.py DATABASE TEMPLATE_TOKEN COUNT TOKENS_FILE
"""
import hashlib
import secrets
import sqlite3
import sys
import uuid


def like(template_value):
    """A new UUID in the form the template's column stores it (Fluent on SQLite: 16-byte blob or text)."""
    fresh = uuid.uuid4()
    return fresh.bytes if isinstance(template_value, bytes) else str(fresh).upper()


def main():
    database, template_token, count, tokens_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    db = sqlite3.connect(database)
    db.row_factory = sqlite3.Row
    session = db.execute("SELECT * FROM auth_sessions WHERE token_hash = ?",
                         (hashlib.sha256(template_token.encode()).hexdigest(),)).fetchone()
    user = db.execute("SELECT * FROM users WHERE id = ?", (session["user_id"],)).fetchone()
    user_columns, session_columns = user.keys(), session.keys()
    users, sessions, tokens = [], [], []
    for index in range(count):
        row = dict(user)
        row["id"] = like(user["id"])
        row["email"] = f"idle{index}@example.org"
        users.append(tuple(row[c] for c in user_columns))
        token = secrets.token_urlsafe(32)
        entry = dict(session)
        entry["id"] = like(session["id"])
        entry["user_id"] = row["id"]
        entry["token_hash"] = hashlib.sha256(token.encode()).hexdigest()
        sessions.append(tuple(entry[c] for c in session_columns))
        tokens.append(token)
    with db:
        db.executemany(f"INSERT INTO users ({', '.join(user_columns)}) VALUES ({', '.join('?' * len(user_columns))})",
                       users)
        db.executemany(f"INSERT INTO auth_sessions ({', '.join(session_columns)}) "
                       f"VALUES ({', '.join('?' * len(session_columns))})", sessions)
    db.close()
    with open(tokens_file, "w") as out:
        out.write("\n".join(tokens) + "\n")


if __name__ == "__main__":
    main()
