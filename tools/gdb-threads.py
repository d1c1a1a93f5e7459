# tools/gdb-threads.py - a gdb command, `kthreads`, that prints every
# kernel thread of a stopped kernel with its stack: for a machine that
# hangs without a word (a deadlock with every thread asleep, a CPU
# spinning with interrupts off), where the kernel can print nothing itself.
#
#   (gdb) source tools/gdb-threads.py
#   (gdb) kthreads
#
# tools/run-tests runs it when a boot times out (every boot has a gdb stub
# on a loopback port), and tools/gdb loads it for `make debug` sessions.
#
# What it reads (keep in step with the kernel):
#  - kernel/sched.c: `boot_thread` (the one that runs kernel_main, and
#    the tests), and kernel/kthread.c: `threads[]` and `slot_used[]`,
#    the table of every other;
#  - kernel/thread.h: struct thread's name, id, state, cpu, on_cpu,
#    ctx.sp, stack and stack_size;
#  - the switch frame arch_context_switch leaves at ctx.sp:
#      x86_64 (arch/x86_64/entry.asm, x86_switch_stacks): r15 r14 r13 r12
#        rbx rbp, then the return address: rbp at +40, pc at +48;
#      arm64 (arch/arm64/thread_asm.S): x19..x28, x29, x30: fp at +80,
#        lr at +88;
#  - frame records {previous frame pointer, return address} on both
#    (the kernel is built with -fno-omit-frame-pointer).
# A thread running on a CPU (on_cpu) has no saved frame: its stack is the
# CPU's, which `thread apply all bt` (one gdb thread per virtual CPU)
# shows first.
import gdb

STATES = {0: "running", 1: "sleeping", 2: "new", 3: "dead"}


def where(pc):
    try:
        blk = gdb.block_for_pc(pc)
        while blk is not None and blk.function is None:
            blk = blk.superblock	# an inner scope: up to the function
        fn = blk.function.name if blk is not None else None
        sal = gdb.find_pc_line(pc)
        loc = ("%s:%d" % (sal.symtab.filename, sal.line)) if sal.symtab else "?"
        return "%s (%s)" % (fn or hex(pc), loc)
    except RuntimeError:
        return hex(pc)


class KThreads(gdb.Command):
    """Every kernel thread with its saved stack (tools/gdb-threads.py)."""

    def __init__(self):
        super().__init__("kthreads", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        inf = gdb.selected_inferior()
        arch = gdb.selected_frame().architecture().name()
        fp_off, pc_off = (80, 88) if "aarch64" in arch else (40, 48)

        def word(addr):
            return int.from_bytes(inf.read_memory(addr, 8).tobytes(), "little")

        print("== the CPUs (one gdb thread each)")
        gdb.execute("thread apply all bt 25")
        threads = gdb.parse_and_eval("threads")
        used = gdb.parse_and_eval("slot_used")
        n = int(threads.type.range()[1]) + 1
        table = [gdb.parse_and_eval("boot_thread")]
        table += [threads[i] for i in range(n) if int(used[i])]
        for t in table:
            state = int(t["state"])
            print("== thread %u '%s': %s, CPU %u%s" % (
                int(t["id"]), t["name"].string(), STATES.get(state, state),
                int(t["cpu"]), ", on the CPU now" if int(t["on_cpu"]) else ""))
            if int(t["on_cpu"]) or state in (2, 3):
                continue
            sp = int(t["ctx"]["sp"])
            lo = int(t["stack"])
            hi = lo + int(t["stack_size"])
            if not hi:		# the boot thread: its stack is not recorded
                lo, hi = sp, sp + 64 * 1024
            try:
                fp, pc = word(sp + fp_off), word(sp + pc_off)
                print("    " + where(pc))
                for _ in range(32):
                    if not (lo <= fp < hi) or fp & 7:
                        break
                    pc, nfp = word(fp + 8), word(fp)
                    if not pc:
                        break
                    print("    " + where(pc - 1))
                    if nfp <= fp:
                        break
                    fp = nfp
            except gdb.MemoryError as e:
                print("    (stack unreadable: %s)" % e)


KThreads()
