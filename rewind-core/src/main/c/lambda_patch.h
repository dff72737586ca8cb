#ifndef REWIND_LAMBDA_PATCH_H
#define REWIND_LAMBDA_PATCH_H

#include <stddef.h>

/* Allocates the output buffer: JVMTI's Allocate in the agent, malloc in tests. NULL when out of memory. */
typedef unsigned char *(*rewind_alloc)(size_t size, void *ctx);

/*
 * Makes the lambdas of a class file serializable (see lambda_patch.c).
 * Returns 1 and sets *out (from alloc) and *out_len when it patched; 0 when there
 * is nothing to do; -1 when the class file is malformed; -2 when out of memory.
 */
int rewind_patch_lambdas(const unsigned char *in, size_t len, rewind_alloc alloc, void *ctx,
    unsigned char **out, size_t *out_len);

#endif
