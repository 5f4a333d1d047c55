/* archive: the bundle as one .tar.gz or .zip (libarchive), byte-identical
 * across builds and machines: entries sorted, owner root, modes 0644/0755,
 * every mtime the same. */
#ifndef PRESETGEN_ARCHIVE_H
#define PRESETGEN_ARCHIVE_H

#include <stdint.h>

struct diag;

/* Writes the tree dir into path (through a temporary file and a rename),
 * every entry with modification time mtime (seconds). Returns 0 or -1. */
int archive_tree(const char *dir, const char *path, int64_t mtime, struct diag *d);

#endif
