/*
 * drivers/virtio/virtio_blk_kthread.c - the timer of virtio-blk's
 * watchdog: once a second, virtio_blk_check_stalls(). Kernel only, as
 * every timer is (docs/conventions.md, "Kernel-only mm code"); the step
 * it calls is in virtio_blk.c.
 */
#include "drivers/virtio/virtio.h"
#include "kernel/time.h"
#include "kernel/timer.h"

static struct timer_list vblk_watchdog;

static void vblk_watchdog_fire(struct timer_list *t)
{
	(void)t;
	virtio_blk_check_stalls(clock_ns());
}

void virtio_blk_watchdog_init(void)
{
	timer_setup(&vblk_watchdog, vblk_watchdog_fire);
	timer_start_periodic(&vblk_watchdog, HZ);
}
