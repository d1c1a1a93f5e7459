/*
 * kernel/time.c - the tick count and the `uptime` command.
 */
#include "kernel/time.h"
#include "kernel/console.h"
#include "kernel/printk.h"
#include "kernel/profile.h"
#include "kernel/sched.h"
#include "kernel/timer.h"
#include <arch/cpu.h>

volatile uint64_t jiffies;

/* Every CPU ticks; CPU 0 keeps the count and runs the timers. */
void timer_tick(void)
{
	if (arch_cpu_id() == 0) {
		jiffies++;
		run_timers();
	}
	profile_tick();
	sched_tick();
}

void udelay(uint64_t us)
{
	uint64_t end = clock_ns() + us * 1000;

	while (clock_ns() < end)
		arch_cpu_relax();
}

static int cmd_uptime(int argc, char **argv)
{
	uint64_t ns = clock_ns();

	if (argc > 1) {
		printk("uptime: takes no arguments\n");
		return 1;
	}
	printk("up %llu.%03llu s, %llu timer ticks at %d Hz\n",
	       (unsigned long long)(ns / 1000000000ULL),
	       (unsigned long long)(ns / 1000000ULL % 1000),
	       (unsigned long long)jiffies, HZ);
	return 0;
}
CONSOLE_COMMAND(uptime, "time since boot and timer ticks", cmd_uptime);
