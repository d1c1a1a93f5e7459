/*
 * net/lwip/include/libc/string.h - what lwIP's `#include <string.h>`
 * finds: the kernel's own (kernel/lib/string.h). Only lwIP's sources see
 * this directory (net/build.mk).
 */
#include "kernel/lib/string.h"
