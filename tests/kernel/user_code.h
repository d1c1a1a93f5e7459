/*
 * tests/kernel/user_code.h - machine code for the kernel's process tests,
 * one tiny program per architecture (tests/kernel/<arch>_user_code.c):
 * the portable tests wrap it in an ELF file with user_code_elf().
 */
#ifndef TESTS_KERNEL_USER_CODE_H
#define TESTS_KERNEL_USER_CODE_H

#include "kernel/types.h"

/* exit(argc + 40): reads argc at the initial stack pointer, as the SysV
 * ABI leaves it, so it checks the stack exec built too. */
extern const uint8_t user_code_exit_argc[];
extern const size_t user_code_exit_argc_size;

#endif
