/* The hash chain's walk over a range of a SQLite book, in C: see native_walk.py.

   The same check as domain/store/chain_scan.py's chain_rows, row for row: each stored hash
   must be sha256(the hash stored before it + the row's canonical bytes), the text fields
   joined by NUL as domain/store/hashing.py makes them. It is stricter where Python would
   coerce: a column of another type than the store writes, or text that is not valid UTF-8,
   ends the walk there, and the Python walk (the one that names what happened) goes on from
   that row. So this walk can only ever say less than the Python one, never more.

   The prototypes of the few SQLite and libcrypto functions used are declared here, so that
   building needs the shared libraries Python itself loads, not their development headers. */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
int sqlite3_open_v2(const char *, sqlite3 **, int, const char *);
int sqlite3_close(sqlite3 *);
int sqlite3_exec(sqlite3 *, const char *, void *, void *, char **);
int sqlite3_prepare_v2(sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
int sqlite3_bind_int64(sqlite3_stmt *, int, long long);
int sqlite3_step(sqlite3_stmt *);
int sqlite3_reset(sqlite3_stmt *);
int sqlite3_finalize(sqlite3_stmt *);
int sqlite3_column_type(sqlite3_stmt *, int);
long long sqlite3_column_int64(sqlite3_stmt *, int);
const unsigned char *sqlite3_column_text(sqlite3_stmt *, int);
const void *sqlite3_column_blob(sqlite3_stmt *, int);
int sqlite3_column_bytes(sqlite3_stmt *, int);
const char *sqlite3_errmsg(sqlite3 *);

#define OPEN_READONLY 0x00000001
#define OPEN_URI 0x00000040
#define OPEN_NOMUTEX 0x00008000
#define ROW 100
#define DONE 101
#define T_INTEGER 1
#define T_TEXT 3
#define T_BLOB 4
#define T_NULL 5

/* OpenSSL's SHA256_CTX (h[8], Nl, Nh, data[16], num, md_len: 112 bytes); kept larger */
typedef struct { unsigned char opaque[256]; } sha_ctx;
int SHA256_Init(sha_ctx *);
int SHA256_Update(sha_ctx *, const void *, size_t);
int SHA256_Final(unsigned char *, sha_ctx *);

#define HASH 32

static const char SELECT_RANGE[] =
    "SELECT position, stream_id, stream_version, type, schema_version, data, metadata, "
    "recorded_at, hash, also_in FROM events WHERE position > ?1 AND position <= ?2 "
    "ORDER BY position";
static const char SELECT_HASH[] = "SELECT hash FROM events WHERE position = ?1";

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *range;
    sqlite3_stmt *one;
} walker;

/* Strict UTF-8, as Python's decoder reads it: no overlong forms, no surrogates, nothing
   above U+10FFFF, no sequence cut short. */
static int valid_utf8(const unsigned char *s, int n) {
    int i = 0;
    while (i < n) {
        if (i + 8 <= n) {  /* JSON is mostly ASCII: eight bytes at a time */
            uint64_t word;
            memcpy(&word, s + i, 8);
            if ((word & 0x8080808080808080ULL) == 0) { i += 8; continue; }
        }
        unsigned char c = s[i];
        if (c < 0x80) { i++; continue; }
        int len;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c == 0xE0) { len = 3; lo = 0xA0; }
        else if (c == 0xED) { len = 3; hi = 0x9F; }
        else if (c >= 0xE1 && c <= 0xEF) len = 3;
        else if (c == 0xF0) { len = 4; lo = 0x90; }
        else if (c >= 0xF1 && c <= 0xF3) len = 4;
        else if (c == 0xF4) { len = 4; hi = 0x8F; }
        else return 0;
        if (i + len > n) return 0;
        if (s[i + 1] < lo || s[i + 1] > hi) return 0;
        for (int k = 2; k < len; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF) return 0;
        i += len;
    }
    return 1;
}

static const unsigned char ZERO = 0;

/* value in decimal, as Python's str() writes it (snprintf cost a tenth of the walk) */
static void add_int(sha_ctx *ctx, long long value) {
    char digits[24];
    char *end = digits + sizeof digits, *p = end;
    unsigned long long v = value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value;
    do { *--p = (char)('0' + v % 10); v /= 10; } while (v != 0);
    if (value < 0) *--p = '-';
    SHA256_Update(ctx, p, (size_t)(end - p));
}

/* The text of column i, or NULL if it is not valid text; NUL-separated into the hash. */
static int add_text(sha_ctx *ctx, sqlite3_stmt *st, int i, int null_ok, int last) {
    int type = sqlite3_column_type(st, i);
    if (type == T_NULL && null_ok) {
        if (!last) SHA256_Update(ctx, &ZERO, 1);
        return 1;
    }
    if (type != T_TEXT) return 0;
    const unsigned char *text = sqlite3_column_text(st, i);
    int n = sqlite3_column_bytes(st, i);
    if (n > 0 && (text == NULL || !valid_utf8(text, n))) return 0;
    if (n > 0) SHA256_Update(ctx, text, (size_t)n);
    if (!last) SHA256_Update(ctx, &ZERO, 1);
    return 1;
}

static int add_integer(sha_ctx *ctx, sqlite3_stmt *st, int i) {
    if (sqlite3_column_type(st, i) != T_INTEGER) return 0;
    add_int(ctx, sqlite3_column_int64(st, i));
    SHA256_Update(ctx, &ZERO, 1);
    return 1;
}

/* Whether the row chains from prev; its stored hash copied to prev if so. */
static int chains(sqlite3_stmt *st, long long expected, unsigned char *prev) {
    if (sqlite3_column_type(st, 0) != T_INTEGER || sqlite3_column_int64(st, 0) != expected)
        return 0;
    if (sqlite3_column_type(st, 8) != T_BLOB || sqlite3_column_bytes(st, 8) != HASH) return 0;
    sha_ctx ctx;
    unsigned char digest[HASH];
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, prev, HASH);
    add_int(&ctx, expected);
    SHA256_Update(&ctx, &ZERO, 1);
    if (!add_text(&ctx, st, 1, 0, 0) || !add_integer(&ctx, st, 2) || !add_text(&ctx, st, 3, 0, 0)
        || !add_integer(&ctx, st, 4) || !add_text(&ctx, st, 5, 0, 0)
        || !add_text(&ctx, st, 6, 0, 0) || !add_integer(&ctx, st, 7)
        || !add_text(&ctx, st, 9, 1, 1))
        return 0;
    SHA256_Final(digest, &ctx);
    const void *stored = sqlite3_column_blob(st, 8);
    if (stored == NULL || memcmp(digest, stored, HASH) != 0) return 0;
    memcpy(prev, digest, HASH);
    return 1;
}

static void copy_error(walker *w, char *error, int size) {
    if (error != NULL && size > 0) snprintf(error, (size_t)size, "%s", sqlite3_errmsg(w->db));
}

/* A read-only walker on the book at uri (a file: URI), in one read transaction from its
   first walk; NULL if it cannot be opened (error says why). */
walker *tb_open(const char *uri, char *error, int size) {
    walker *w = calloc(1, sizeof *w);
    if (w == NULL) return NULL;
    if (sqlite3_open_v2(uri, &w->db, OPEN_READONLY | OPEN_URI | OPEN_NOMUTEX, NULL) != 0
        || sqlite3_exec(w->db, "PRAGMA mmap_size = 17179869184", NULL, NULL, NULL) != 0
        || sqlite3_exec(w->db, "PRAGMA cache_size = -16384", NULL, NULL, NULL) != 0
        || sqlite3_prepare_v2(w->db, SELECT_RANGE, -1, &w->range, NULL) != 0
        || sqlite3_prepare_v2(w->db, SELECT_HASH, -1, &w->one, NULL) != 0
        || sqlite3_exec(w->db, "BEGIN", NULL, NULL, NULL) != 0) {
        if (w->db != NULL) copy_error(w, error, size);
        sqlite3_finalize(w->range);
        sqlite3_finalize(w->one);
        sqlite3_close(w->db);
        free(w);
        return NULL;
    }
    return w;
}

void tb_close(walker *w) {
    if (w == NULL) return;
    sqlite3_finalize(w->range);
    sqlite3_finalize(w->one);
    sqlite3_close(w->db);
    free(w);
}

/* Walk positions first..last from prev (32 bytes; with have_prev 0, from the hash stored at
   first - 1, read here). Returns the first position not known to chain (last + 1 if all
   do), with prev then the hash stored before it; -1 if SQLite failed (error says why; the
   Python walk then names the damage). */
long long tb_walk(walker *w, long long first, long long last, unsigned char *prev,
                  int have_prev, char *error, int size) {
    if (first > last) return first;
    if (!have_prev) {
        sqlite3_reset(w->one);
        sqlite3_bind_int64(w->one, 1, first - 1);
        int rc = sqlite3_step(w->one);
        if (rc != ROW && rc != DONE) { copy_error(w, error, size); return -1; }
        if (rc != ROW || sqlite3_column_type(w->one, 0) != T_BLOB
            || sqlite3_column_bytes(w->one, 0) != HASH)
            return first;
        memcpy(prev, sqlite3_column_blob(w->one, 0), HASH);
        sqlite3_reset(w->one);
    }
    sqlite3_reset(w->range);
    sqlite3_bind_int64(w->range, 1, first - 1);
    sqlite3_bind_int64(w->range, 2, last);
    long long expected = first;
    int rc;
    while ((rc = sqlite3_step(w->range)) == ROW) {
        if (!chains(w->range, expected, prev)) break;
        expected++;
    }
    if (rc != ROW && rc != DONE) { copy_error(w, error, size); expected = -1; }
    sqlite3_reset(w->range);
    return expected;
}

/* Which SQLite this library calls: Python's sqlite3 must call the same copy, or the two
   would each keep their own POSIX locks on the book (see native_walk.same_sqlite). */
const void *tb_sqlite(void) {
    const char *sqlite3_libversion(void);
    return (const void *)&sqlite3_libversion;
}
