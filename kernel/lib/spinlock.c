/*
 * kernel/lib/spinlock.c - the one setting spinlocks share: how a waiter
 * waits (kernel/spinlock.h). kernel/smp.c sets it at boot, before any
 * other CPU runs. Portable: the host tests flip it too.
 */
#include "kernel/spinlock.h"

bool spin_lock_virt;
