/*
 * kernel/sysctl_console.c - the console's `sysctl`: the registered
 * tunables (kernel/sysctl.h) by their /proc/sys names, in sysctl(8)'s
 * format. The behaviour is sysctl_command (kernel/sysctl.c, host-tested).
 *
 *	mm> sysctl			every tunable: vm.dirty_ratio = 20 ...
 *	mm> sysctl vm.dirty_ratio	vm.dirty_ratio = 20
 *	mm> sysctl vm.dirty_ratio=15	vm.dirty_ratio = 15
 *	mm> sysctl -w vm.dirty_bytes=67108864
 */
#include "kernel/console.h"
#include "kernel/sysctl.h"

static int cmd_sysctl(int argc, char **argv)
{
	struct ctl_set set = sysctl_registered();

	return sysctl_command(&set, argc, argv);
}
CONSOLE_COMMAND(sysctl, "[-a] | NAME... | [-w] NAME=VALUE...: show or set tunables by their /proc/sys names (vm.dirty_ratio)", cmd_sysctl);
