/*
 * kernel/abi/sysinfo.h - sysinfo(2)'s struct, Linux's layout on a 64-bit
 * architecture (the same on x86_64 and arm64): memory and swap sizes
 * count units of mem_unit bytes.
 *
 * ABI only, so both sides of the system-call boundary include this one
 * file (kernel/sys.c, and the user C library through user/lib/libc.h).
 */
#ifndef KERNEL_ABI_SYSINFO_H
#define KERNEL_ABI_SYSINFO_H

struct sysinfo {
	long uptime;			/* seconds since boot */
	unsigned long loads[3];		/* 1, 5, 15 min (<< 16); 0 here */
	unsigned long totalram, freeram, sharedram, bufferram;
	unsigned long totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char _f[4];
};

#endif
