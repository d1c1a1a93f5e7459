/*
 * kernel/oom.h - the OOM killer's kernel side (kernel/oom.c): what a user
 * page fault calls when no page was to be had.
 */
#ifndef KERNEL_OOM_H
#define KERNEL_OOM_H

/*
 * Free memory by killing a process: the one mm/oom_kill.h rates worst
 * gets SIGKILL and Linux's "Out of memory: Killed process ..." line. If
 * an earlier victim is still dying, nobody new is chosen: the caller
 * waits a few milliseconds instead. Returns, always, within a few
 * milliseconds; the caller retries its fault (or dies on its way to user
 * mode, if it was the victim). Process context, no locks held.
 */
void out_of_memory(void);

#endif
