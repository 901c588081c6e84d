// The few functions of SQLite that Lotse calls itself, for the reads it runs on the event loop
// (Sources/LotseServer/Platform/Database/LoopReads.swift, docs/architecture.md "Reads on the event loop").
//
// They are the SQLite that sqlite-nio builds into the process, under the `sqlite_nio_` prefix it gives every
// symbol; sqlite-nio does not offer its C module as a product, so its declarations are repeated here. Linking a
// second copy of SQLite instead (Debian's libsqlite3) would be unsafe: two copies in one process do not see each
// other's POSIX locks, and closing a file in one drops the other's locks on it (sqlite.org/howtocorrupt.html,
// 2.2.1). Should sqlite-nio ever rename these symbols, the build fails at linking, not at run time.
#ifndef CLOTSE_SQLITE_H
#define CLOTSE_SQLITE_H

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
typedef long long int sqlite3_int64;
typedef void (*sqlite3_destructor_type)(void *);

#define SQLITE_OK 0
#define SQLITE_BUSY 5
#define SQLITE_ROW 100
#define SQLITE_DONE 101

#define SQLITE_OPEN_READWRITE 0x00000002
#define SQLITE_OPEN_URI 0x00000040
#define SQLITE_OPEN_NOMUTEX 0x00008000
#define SQLITE_OPEN_EXRESCODE 0x02000000

#define SQLITE_PREPARE_PERSISTENT 0x01

#define SQLITE_STMTSTATUS_REPREPARE 5

#define SQLITE_INTEGER 1
#define SQLITE_FLOAT 2
#define SQLITE_TEXT 3
#define SQLITE_BLOB 4
#define SQLITE_NULL 5

int sqlite_nio_sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs);
int sqlite_nio_sqlite3_close_v2(sqlite3 *db);
int sqlite_nio_sqlite3_busy_timeout(sqlite3 *db, int milliseconds);
int sqlite_nio_sqlite3_exec(
    sqlite3 *db, const char *sql, int (*callback)(void *, int, char **, char **), void *argument, char **error);
const char *sqlite_nio_sqlite3_errmsg(sqlite3 *db);
int sqlite_nio_sqlite3_extended_errcode(sqlite3 *db);
void *sqlite_nio_sqlite3_wal_hook(sqlite3 *db, int (*hook)(void *, sqlite3 *, const char *, int), void *argument);

int sqlite_nio_sqlite3_prepare_v3(
    sqlite3 *db, const char *sql, int bytes, unsigned int flags, sqlite3_stmt **statement, const char **tail);
int sqlite_nio_sqlite3_stmt_readonly(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_stmt_status(sqlite3_stmt *statement, int counter, int reset);
int sqlite_nio_sqlite3_step(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_reset(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_clear_bindings(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_finalize(sqlite3_stmt *statement);

int sqlite_nio_sqlite3_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int count,
    sqlite3_destructor_type destructor);
int sqlite_nio_sqlite3_bind_text(sqlite3_stmt *statement, int index, const char *text, int count,
    sqlite3_destructor_type destructor);
int sqlite_nio_sqlite3_bind_int64(sqlite3_stmt *statement, int index, sqlite3_int64 value);
int sqlite_nio_sqlite3_bind_double(sqlite3_stmt *statement, int index, double value);
int sqlite_nio_sqlite3_bind_null(sqlite3_stmt *statement, int index);

int sqlite_nio_sqlite3_column_count(sqlite3_stmt *statement);
const char *sqlite_nio_sqlite3_column_name(sqlite3_stmt *statement, int column);
int sqlite_nio_sqlite3_column_type(sqlite3_stmt *statement, int column);
sqlite3_int64 sqlite_nio_sqlite3_column_int64(sqlite3_stmt *statement, int column);
double sqlite_nio_sqlite3_column_double(sqlite3_stmt *statement, int column);
const unsigned char *sqlite_nio_sqlite3_column_text(sqlite3_stmt *statement, int column);
const void *sqlite_nio_sqlite3_column_blob(sqlite3_stmt *statement, int column);
int sqlite_nio_sqlite3_column_bytes(sqlite3_stmt *statement, int column);

#endif
