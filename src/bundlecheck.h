/* bundlecheck: `presetgen check --bundle DIR` on a built bundle: every page
 * parses as HTML (libxml2), every internal link and asset reference names a
 * file of the bundle, every XML file (sitemap, feed) is well-formed. */
#ifndef PRESETGEN_BUNDLECHECK_H
#define PRESETGEN_BUNDLECHECK_H

#include <stddef.h>

struct diag;

/* Reports every problem as file:line: error; returns -1 if there was one.
 * *pages counts the HTML pages read. */
int bundle_check(const char *dir, struct diag *d, size_t *pages);

#endif
