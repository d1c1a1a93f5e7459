/*
 * arch/arm64/libgcc.c - compiler helpers this kernel must not take from
 * libgcc. Debian's aarch64 libgcc.a is built for user space and uses the
 * SIMD registers (__popcountdi2 is fmov/cnt/addv), which the kernel never
 * saves and keeps trapped (CPACR_EL1.FPEN = 0): a helper from there would
 * fault. Defining one here means the linker never pulls libgcc's copy.
 */
#include "kernel/types.h"

int __popcountdi2(long x);
int __popcountdi2(long x)
{
	unsigned long v = (unsigned long)x;

	v = v - ((v >> 1) & 0x5555555555555555UL);
	v = (v & 0x3333333333333333UL) + ((v >> 2) & 0x3333333333333333UL);
	v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0fUL;
	return (int)((v * 0x0101010101010101UL) >> 56);
}
