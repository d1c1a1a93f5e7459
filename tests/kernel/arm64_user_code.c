/*
 * tests/kernel/arm64_user_code.c - the process tests' program for arm64
 * (tests/kernel/user_code.h). Little-endian instruction words.
 */
#include "tests/kernel/user_code.h"

const uint8_t user_code_exit_argc[] = {
	0xe0, 0x03, 0x40, 0xf9,		/* ldr  x0, [sp]	argc */
	0x00, 0xa0, 0x00, 0x91,		/* add  x0, x0, #40 */
	0xc8, 0x0b, 0x80, 0xd2,		/* mov  x8, #94		exit_group */
	0x01, 0x00, 0x00, 0xd4,		/* svc  #0 */
	0x00, 0x00, 0x00, 0x14,		/* b    . */
};
const size_t user_code_exit_argc_size = sizeof(user_code_exit_argc);
