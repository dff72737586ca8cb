/*
 * The C twin of dev.rewind.internal.bytecode.SerializableLambdaPatch: makes every
 * lambda and method reference of a class serializable by switching each
 * BootstrapMethods entry that calls LambdaMetafactory.metafactory to
 * altMetafactory with FLAG_SERIALIZABLE. Six constants are appended to the
 * constant pool and the BootstrapMethods attribute is rewritten; every other byte
 * is copied, so bytecode offsets and constant pool indexes do not move.
 *
 * The two must produce the same bytes: SerializableLambdaPatchTest compares them
 * on every JDK class that has lambdas. Every read is bounds-checked: a malformed
 * class file gives -1 and is left to the JVM to reject.
 */
#include <stdlib.h>
#include <string.h>

#include "lambda_patch.h"

#define LMF "java/lang/invoke/LambdaMetafactory"
#define METAFACTORY_DESC "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;" \
    "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;" \
    "Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;"
#define ALT_NAME "altMetafactory"
#define ALT_DESC "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;" \
    "Ljava/lang/invoke/MethodType;[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;"

enum {
    UTF8 = 1, INTEGER = 3, FLOAT = 4, LONG = 5, DOUBLE = 6, CLASS = 7, STRING = 8, FIELDREF = 9,
    METHODREF = 10, INTERFACE_METHODREF = 11, NAME_AND_TYPE = 12, METHOD_HANDLE = 15, METHOD_TYPE = 16,
    DYNAMIC = 17, INVOKE_DYNAMIC = 18, MODULE = 19, PACKAGE = 20
};
#define FLAG_SERIALIZABLE 1
#define REF_INVOKE_STATIC 6
#define ADDED_CONSTANTS 6

typedef struct {
    const unsigned char *in;
    size_t len;
    size_t *offsets; /* of each constant's tag byte, 0 for the unusable slot after a long or double */
    unsigned count;
    int bad;
} reader;

static unsigned u1(reader *r, size_t p) {
    if (p >= r->len) {
        r->bad = 1;
        return 0;
    }
    return r->in[p];
}

static unsigned u2(reader *r, size_t p) {
    if (p + 2 > r->len || p + 2 < p) {
        r->bad = 1;
        return 0;
    }
    return (unsigned) r->in[p] << 8 | r->in[p + 1];
}

static unsigned long u4(reader *r, size_t p) {
    if (p + 4 > r->len || p + 4 < p) {
        r->bad = 1;
        return 0;
    }
    return (unsigned long) r->in[p] << 24 | (unsigned long) r->in[p + 1] << 16 | (unsigned long) r->in[p + 2] << 8
        | r->in[p + 3];
}

static int is_tag(reader *r, unsigned index, unsigned tag) {
    return index > 0 && index < r->count && r->offsets[index] != 0 && r->in[r->offsets[index]] == tag;
}

/* The offset of constant index, checked to have tag; 0 (and bad) when it has not. */
static size_t offset_of(reader *r, unsigned index, unsigned tag) {
    if (!is_tag(r, index, tag)) {
        r->bad = 1;
        return 0;
    }
    return r->offsets[index];
}

static int utf8_equals(reader *r, unsigned index, const char *ascii) {
    size_t p = offset_of(r, index, UTF8);
    if (r->bad) {
        return 0;
    }
    size_t n = u2(r, p + 1);
    size_t want = strlen(ascii);
    if (r->bad || n != want || p + 3 + n > r->len) {
        return 0;
    }
    return memcmp(r->in + p + 3, ascii, n) == 0;
}

/* Records where each constant starts; returns the offset just past the constant pool, 0 when malformed. */
static size_t read_constants(reader *r) {
    size_t p = 10;
    for (unsigned i = 1; i < r->count && !r->bad; i++) {
        r->offsets[i] = p;
        unsigned tag = u1(r, p);
        switch (tag) {
            case UTF8: p += 3 + u2(r, p + 1); break;
            case INTEGER: case FLOAT: case FIELDREF: case METHODREF: case INTERFACE_METHODREF:
            case NAME_AND_TYPE: case DYNAMIC: case INVOKE_DYNAMIC: p += 5; break;
            case LONG: case DOUBLE: p += 9; i++; break;
            case CLASS: case STRING: case METHOD_TYPE: case MODULE: case PACKAGE: p += 3; break;
            case METHOD_HANDLE: p += 4; break;
            default: r->bad = 1;
        }
        if (p > r->len) {
            r->bad = 1;
        }
    }
    return r->bad ? 0 : p;
}

/* Marks the constants that are handles to LambdaMetafactory.metafactory; returns how many. */
static unsigned metafactory_handles(reader *r, unsigned char *marks) {
    unsigned found = 0;
    for (unsigned i = 1; i < r->count && !r->bad; i++) {
        size_t p = r->offsets[i];
        if (p == 0 || r->in[p] != METHOD_HANDLE || u1(r, p + 1) != REF_INVOKE_STATIC
                || !is_tag(r, u2(r, p + 2), METHODREF)) {
            continue; /* a static interface method's handle refers to an InterfaceMethodref */
        }
        size_t ref = offset_of(r, u2(r, p + 2), METHODREF);
        size_t nat = offset_of(r, u2(r, ref + 3), NAME_AND_TYPE);
        size_t cls = offset_of(r, u2(r, ref + 1), CLASS);
        if (r->bad) {
            break;
        }
        if (utf8_equals(r, u2(r, cls + 1), LMF) && utf8_equals(r, u2(r, nat + 1), "metafactory")
                && utf8_equals(r, u2(r, nat + 3), METAFACTORY_DESC)) {
            marks[i] = 1;
            found++;
        }
    }
    return found;
}

static size_t skip_members(reader *r, size_t p) {
    unsigned members = u2(r, p);
    p += 2;
    for (unsigned i = 0; i < members && !r->bad; i++) {
        unsigned attributes = u2(r, p + 6);
        p += 8;
        for (unsigned a = 0; a < attributes && !r->bad; a++) {
            p += 6 + u4(r, p + 2);
        }
    }
    return p;
}

typedef struct {
    unsigned char *buf;
    size_t n;
} writer;

static void put(writer *w, const void *src, size_t n) {
    memcpy(w->buf + w->n, src, n);
    w->n += n;
}

static void put1(writer *w, unsigned v) {
    w->buf[w->n++] = (unsigned char) v;
}

static void put2(writer *w, unsigned v) {
    put1(w, v >> 8 & 0xFF);
    put1(w, v & 0xFF);
}

static void put4(writer *w, unsigned long v) {
    put2(w, (unsigned) (v >> 16 & 0xFFFF));
    put2(w, (unsigned) (v & 0xFFFF));
}

static void put_utf8(writer *w, const char *s) {
    size_t n = strlen(s);
    put1(w, UTF8);
    put2(w, (unsigned) n);
    put(w, s, n);
}

static int rewrite(reader *r, size_t pool_end, size_t attribute, unsigned long length, const unsigned char *marks,
        rewind_alloc alloc, void *ctx, unsigned char **out, size_t *out_len) {
    unsigned bootstraps = u2(r, attribute + 6);
    size_t p = attribute + 8;
    unsigned patched = 0;
    for (unsigned i = 0; i < bootstraps && !r->bad; i++) {
        unsigned ref = u2(r, p);
        unsigned args = u2(r, p + 2);
        if (ref < r->count && marks[ref] && args == 3) {
            patched++;
        }
        p += 4 + 2 * (size_t) args;
    }
    if (r->bad || p != attribute + 6 + length || p > r->len) {
        return -1;
    }
    if (patched == 0) {
        return 0;
    }
    unsigned lmf_class = 0;
    for (unsigned i = 1; i < r->count && lmf_class == 0; i++) {
        if (marks[i]) {
            lmf_class = u2(r, r->offsets[u2(r, r->offsets[i] + 2)] + 1);
        }
    }
    unsigned count = r->count;
    size_t added = 3 + strlen(ALT_NAME) + 3 + strlen(ALT_DESC) + 5 + 5 + 4 + 5;
    size_t size = r->len + added + 2 * (size_t) patched;
    writer w = {alloc(size, ctx), 0};
    if (w.buf == NULL) {
        return -2;
    }
    put(&w, r->in, 8);
    put2(&w, count + ADDED_CONSTANTS);
    put(&w, r->in + 10, pool_end - 10);
    put_utf8(&w, ALT_NAME);                 /* count     */
    put_utf8(&w, ALT_DESC);                 /* count + 1 */
    put1(&w, NAME_AND_TYPE);                /* count + 2 */
    put2(&w, count);
    put2(&w, count + 1);
    put1(&w, METHODREF);                    /* count + 3 */
    put2(&w, lmf_class);
    put2(&w, count + 2);
    put1(&w, METHOD_HANDLE);                /* count + 4 */
    put1(&w, REF_INVOKE_STATIC);
    put2(&w, count + 3);
    put1(&w, INTEGER);                      /* count + 5 */
    put4(&w, FLAG_SERIALIZABLE);
    put(&w, r->in + pool_end, attribute + 2 - pool_end); /* up to the attribute's name */
    put4(&w, length + 2 * (unsigned long) patched);
    put2(&w, bootstraps);
    p = attribute + 8;
    for (unsigned i = 0; i < bootstraps; i++) {
        unsigned ref = u2(r, p);
        unsigned args = u2(r, p + 2);
        if (ref < count && marks[ref] && args == 3) {
            put2(&w, count + 4);
            put2(&w, 4);
            put(&w, r->in + p + 4, 6);
            put2(&w, count + 5);
        } else {
            put(&w, r->in + p, 4 + 2 * (size_t) args);
        }
        p += 4 + 2 * (size_t) args;
    }
    put(&w, r->in + p, r->len - p);
    *out = w.buf;
    *out_len = w.n;
    return 1;
}

int rewind_patch_lambdas(const unsigned char *in, size_t len, rewind_alloc alloc, void *ctx,
        unsigned char **out, size_t *out_len) {
    reader r = {in, len, NULL, 0, 0};
    if (len < 10 || u4(&r, 0) != 0xCAFEBABEUL) {
        return -1;
    }
    r.count = u2(&r, 8);
    if (r.count == 0) {
        return -1;
    }
    r.offsets = calloc(r.count, sizeof(size_t));
    unsigned char *marks = calloc(r.count, 1);
    int rc = -1;
    if (r.offsets == NULL || marks == NULL) {
        rc = -2;
        goto done;
    }
    size_t end = read_constants(&r);
    if (r.bad) {
        goto done;
    }
    unsigned found = metafactory_handles(&r, marks);
    if (r.bad) {
        goto done;
    }
    if (found == 0 || r.count + ADDED_CONSTANTS > 0xFFFF) {
        rc = 0;
        goto done;
    }
    size_t p = end + 6; /* access flags, this class, super class */
    p += 2 + 2 * (size_t) u2(&r, p); /* interfaces */
    p = skip_members(&r, p); /* fields */
    p = skip_members(&r, p); /* methods */
    unsigned attributes = u2(&r, p);
    p += 2;
    rc = 0;
    for (unsigned i = 0; i < attributes && !r.bad; i++) {
        unsigned long length = u4(&r, p + 2);
        if (utf8_equals(&r, u2(&r, p), "BootstrapMethods")) {
            rc = r.bad ? -1 : rewrite(&r, end, p, length, marks, alloc, ctx, out, out_len);
            goto done;
        }
        p += 6 + length;
    }
    if (r.bad) {
        rc = -1;
    }
done:
    free(r.offsets);
    free(marks);
    return rc;
}
