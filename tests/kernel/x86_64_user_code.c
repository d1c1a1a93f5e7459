/*
 * tests/kernel/x86_64_user_code.c - the process tests' program for
 * x86_64 (tests/kernel/user_code.h).
 */
#include "tests/kernel/user_code.h"

const uint8_t user_code_exit_argc[] = {
	0x48, 0x8b, 0x3c, 0x24,		/* mov  (%rsp), %rdi	argc */
	0x83, 0xc7, 0x28,		/* add  $40, %edi */
	0xb8, 0xe7, 0x00, 0x00, 0x00,	/* mov  $231, %eax	exit_group */
	0x0f, 0x05,			/* syscall */
	0xeb, 0xfe,			/* jmp  . */
};
const size_t user_code_exit_argc_size = sizeof(user_code_exit_argc);
