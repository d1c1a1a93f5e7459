/*
 * <arch/fcntl.h> for the host build: the open() flags that differ between
 * architectures (fs/ is built for the host too). x86_64's values.
 */
#ifndef ARCH_FCNTL_H
#define ARCH_FCNTL_H

#define O_DIRECTORY	00200000
#define O_NOFOLLOW	00400000

#endif
