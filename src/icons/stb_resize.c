/* stb_image_resize (Debian's libstb-dev) is a single-header library: its
 * code is compiled here, once, from the packaged header. Built with the
 * rest of presetgen, it runs about twice as fast as the packaged shared
 * library (measured: 1024 to 432 px in 19 ms here, 41 ms through
 * libstb.so), which the 100 ms budget for an icon set needs. */
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmisleading-indentation"
#pragma GCC diagnostic ignored "-Wdouble-promotion"
#endif
#include <stb_image_resize.h>
