/*
 * user/lib/start.c - from the initial stack to main().
 */
#include "libc.h"

char **environ;
static unsigned long *auxv;

/*
 * Called by crt0 with the stack the kernel built (System V ABI: argc, the
 * argv pointers and a NULL, the envp pointers and a NULL, then the
 * auxiliary vector of (type, value) pairs ending with type 0). Runs main
 * and ends the process with its return value.
 */
void __libc_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char **p = envp;

	while (*p)
		p++;
	environ = envp;
	auxv = (unsigned long *)(p + 1);
	exit(main(argc, argv, envp));
}

unsigned long getauxval(unsigned long type)
{
	unsigned long *a;

	for (a = auxv; a && a[0] != 0; a += 2)
		if (a[0] == type)
			return a[1];
	return 0;
}
