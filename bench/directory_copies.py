"""Grows bench/directory.sh's directory to N published profiles straight in Lotse's SQLite database (the server is
stopped meanwhile): the profiles published through the API (bench/directory_seed.py) are the templates, and each
copy is one of them again — its account, profile and search terms exactly as the server indexed them — under a new
ID, e-mail address and slug, updated a few seconds apart. Publishing 50,000 profiles through the API would take
hours here (each coach registers, verifies, signs in, turns on TOTP and saves); the search reads the same rows
either way.

Usage: directory_copies.py DATABASE TOTAL
"""
import sqlite3
import sys
import uuid


def like(template_value):
    """A new UUID in the form the template's column stores it (Fluent on SQLite: 16-byte blob or text)."""
    fresh = uuid.uuid4()
    return fresh.bytes if isinstance(template_value, bytes) else str(fresh).upper()


def earlier(value, seconds):
    """The template's `updated_at` moved back: numbers are seconds, text is left as it is."""
    return value - seconds if isinstance(value, (int, float)) else value


def insert(db, table, columns, rows):
    db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)


def main():
    database, total = sys.argv[1], int(sys.argv[2])
    db = sqlite3.connect(database)
    db.row_factory = sqlite3.Row
    profiles = db.execute("SELECT * FROM directory_profiles WHERE is_published = 1 ORDER BY slug").fetchall()
    if not profiles:
        raise SystemExit("no published profile to copy")
    users = {row["id"]: row for row in db.execute(
        "SELECT * FROM users WHERE id IN (SELECT user_id FROM directory_profiles)")}
    terms = {}
    for row in db.execute("SELECT * FROM directory_terms"):
        terms.setdefault(row["profile_id"], []).append(row)
    user_columns = list(next(iter(users.values())).keys())
    profile_columns = list(profiles[0].keys())
    term_columns = list(next(iter(terms.values()))[0].keys())
    copies = total - len(profiles)
    written = 0
    with db:
        for start in range(0, copies, 1000):  # a thousand copies per statement batch keeps memory flat
            new_users, new_profiles, new_terms = [], [], []
            for index in range(start, min(start + 1000, copies)):
                template = profiles[index % len(profiles)]
                user = dict(users[template["user_id"]])
                user["id"] = like(user["id"])
                user["email"] = f"copy{index}@bench.example.org"
                new_users.append(tuple(user[c] for c in user_columns))
                profile = dict(template)
                profile["user_id"] = user["id"]
                profile["slug"] = f"copy-{index}"
                profile["updated_at"] = earlier(template["updated_at"], index + 1)
                new_profiles.append(tuple(profile[c] for c in profile_columns))
                for term in terms[template["user_id"]]:
                    entry = dict(term)
                    entry["id"] = like(term["id"])
                    entry["profile_id"] = user["id"]
                    new_terms.append(tuple(entry[c] for c in term_columns))
            insert(db, "users", user_columns, new_users)
            insert(db, "directory_profiles", profile_columns, new_profiles)
            insert(db, "directory_terms", term_columns, new_terms)
            written += len(new_terms)
    db.close()
    print(f"{copies} copies of {len(profiles)} profiles, {written} search terms", file=sys.stderr)


if __name__ == "__main__":
    main()
