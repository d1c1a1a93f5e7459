/*
 * kernel/extable.c - look a faulting pc up in the exception table
 * (kernel/extable.h). The table is small (one entry per user-memory
 * accessor instruction), so a linear search is fast enough and has no
 * sorting step to get wrong.
 */
#include "kernel/extable.h"

extern const struct exception_table_entry __start___ex_table[];
extern const struct exception_table_entry __stop___ex_table[];

unsigned long search_exception_tables(unsigned long pc)
{
	for (const struct exception_table_entry *e = __start___ex_table;
	     e < __stop___ex_table; e++)
		if (e->insn == pc)
			return e->fixup;
	return 0;
}
