/*
 * kernel/ksyms.c - address to symbol lookup over the generated table.
 */
#include "kernel/ksyms.h"
#include "kernel/lib/vsprintf.h"

extern char _text[], _kernel_end[];

/* The symbol containing addr, or NULL. */
static const struct ksym *find(unsigned long addr)
{
	unsigned long lo = 0, hi = ksym_count;

	if (addr < (unsigned long)_text || addr >= (unsigned long)_kernel_end)
		return NULL;
	/* Binary search for the last symbol at or below addr. */
	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (ksym_table[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct ksym *s = &ksym_table[lo - 1];

	if (s->size && addr >= s->addr + s->size)
		return NULL;
	return s;
}

const char *ksym_lookup(unsigned long addr, unsigned long *offset)
{
	const struct ksym *s = find(addr);

	if (!s)
		return NULL;
	*offset = addr - s->addr;
	return &ksym_names[s->name_off];
}

void ksym_format(char *buf, size_t size, unsigned long addr)
{
	const struct ksym *s = find(addr);

	if (!s)
		ksnprintf(buf, size, "0x%lx", addr);
	else if (s->size)	/* name+offset/size, as Linux prints it */
		ksnprintf(buf, size, "%s+0x%lx/0x%x", &ksym_names[s->name_off],
			  addr - s->addr, s->size);
	else
		ksnprintf(buf, size, "%s+0x%lx", &ksym_names[s->name_off],
			  addr - s->addr);
}
