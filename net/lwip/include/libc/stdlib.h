/*
 * net/lwip/include/libc/stdlib.h - what lwIP's `#include <stdlib.h>`
 * finds: atoi (netif_find parses "en0"), from net/lwip/port.c. Only
 * lwIP's sources see this directory (net/build.mk).
 */
int atoi(const char *s);
