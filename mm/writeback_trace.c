/* mm/writeback_trace.c - placeholder until the trace ring lands. */
#include "mm/backing-dev.h"

void wb_trace(const struct wb_trace_event *ev)
{
	(void)ev;
}
