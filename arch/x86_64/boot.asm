; arch/x86_64/boot.asm - from the boot loader to C, in long mode.
;
; Two doors in, one path on:
;   mb2_entry32  GRUB's multiboot2: 32-bit protected mode, paging off,
;                eax = 0x36d76289, ebx = physical address of the boot info.
;   pvh_entry32  QEMU -kernel (PVH): 32-bit protected mode, paging off,
;                ebx = physical address of struct hvm_start_info.
; Both: take a timestamp, check the CPU has long mode, build early page
; tables (identity and direct map of the first 4 GiB with 2 MiB pages, the
; kernel at -2 GiB), enable PAE + long mode + paging, load a 64-bit GDT,
; jump to the kernel's virtual address and call
;   x86_64_start(uint32_t protocol, uint32_t info_phys)
; C then replaces these tables with ones built from the memory map.
; This code runs at its physical address, in the .boot sections.

KERNEL_BASE	equ 0xffffffff80000000
MB2_MAGIC	equ 0xe85250d6
MB2_BOOT_MAGIC	equ 0x36d76289
PROTO_MB2	equ 1
PROTO_PVH	equ 2
COM1		equ 0x3f8

; ---------------------------------------------------------------- headers
section .multiboot2 progbits alloc noexec nowrite align=8
mb2_header:
	dd MB2_MAGIC
	dd 0					; architecture: i386 protected mode
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + 0 + (mb2_header_end - mb2_header))
	align 8
	dw 0, 0					; end tag
	dd 8
mb2_header_end:

; The PVH entry point, as the ELF note QEMU looks for (Xen, type 18).
section .note.Xen note alloc noexec nowrite align=4
	dd 4					; name size
	dd 4					; descriptor size
	dd 18					; XEN_ELFNOTE_PHYS32_ENTRY
	db "Xen", 0
	dd pvh_entry32

; ---------------------------------------------------------------- 32-bit
section .boot.text progbits alloc exec nowrite align=16
bits 32
global mb2_entry32, pvh_entry32

mb2_entry32:
	cli
	cld
	cmp eax, MB2_BOOT_MAGIC
	jne .bad_magic
	mov esi, PROTO_MB2
	mov edi, ebx
	jmp common32
.bad_magic:
	mov esp, boot32_stack_top
	mov esi, msg_bad_magic
	jmp fail32

pvh_entry32:
	cli
	cld
	mov esi, PROTO_PVH
	mov edi, ebx

common32:
	mov esp, boot32_stack_top
	rdtsc					; kernel entry time, for the boot log
	mov [boot_tsc], eax
	mov [boot_tsc + 4], edx

	; Keep protocol and info pointer: cpuid and rep stosd clobber registers.
	mov [boot_protocol], esi
	mov [boot_info_phys], edi

	; Long mode? CPUID 0x80000001, EDX bit 29.
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz .no_long_mode
	mov [ext_features], edx

	; Early page tables. Zero them, then fill.
	mov edi, boot_pml4
	mov ecx, (boot_pt_end - boot_pml4) / 4
	xor eax, eax
	rep stosd
	mov dword [boot_pml4 + 0 * 8], boot_pdpt_low + 3	; identity
	mov dword [boot_pml4 + 256 * 8], boot_pdpt_low + 3	; direct map
	mov dword [boot_pml4 + 511 * 8], boot_pdpt_high + 3	; kernel
	mov dword [boot_pdpt_low + 0 * 8], boot_pd + 0 * 4096 + 3
	mov dword [boot_pdpt_low + 1 * 8], boot_pd + 1 * 4096 + 3
	mov dword [boot_pdpt_low + 2 * 8], boot_pd + 2 * 4096 + 3
	mov dword [boot_pdpt_low + 3 * 8], boot_pd + 3 * 4096 + 3
	mov dword [boot_pdpt_high + 510 * 8], boot_pd + 3	; -2 GiB -> 0
	; 2048 large pages, 2 MiB each: 0..4 GiB. Entry = address | PS|RW|P.
	mov edi, boot_pd
	xor ecx, ecx
.fill_pd:
	mov eax, ecx
	shl eax, 21
	or eax, 0x83
	mov [edi + ecx * 8], eax
	mov eax, ecx
	shr eax, 11				; bits 32+ of the address
	mov [edi + ecx * 8 + 4], eax
	inc ecx
	cmp ecx, 2048
	jb .fill_pd

	mov eax, cr4
	or eax, (1 << 5) | (1 << 7)		; PAE, PGE
	mov cr4, eax
	mov eax, boot_pml4
	mov cr3, eax
	mov ecx, 0xc0000080			; EFER
	rdmsr
	or eax, 1 << 8				; LME
	test dword [ext_features], 1 << 20	; NX available?
	jz .no_nx
	or eax, 1 << 11				; NXE
.no_nx:
	wrmsr
	mov eax, cr0
	or eax, (1 << 31) | (1 << 16) | 1	; PG, WP, PE
	mov cr0, eax
	lgdt [boot_gdt_ptr]
	jmp 0x08:long_mode_entry

.no_long_mode:
	mov esi, msg_no_long_mode
	; fall through

; Print the NUL-terminated string at esi on COM1 and stop.
fail32:
	mov dx, COM1 + 5
.wait:
	in al, dx
	test al, 0x20
	jz .wait
	lodsb
	test al, al
	jz .halt
	mov dx, COM1
	out dx, al
	jmp fail32
.halt:
	hlt
	jmp .halt

bits 64
long_mode_entry:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov rax, high_entry
	jmp rax					; on to the kernel's address

section .text
extern x86_64_start
high_entry:
	mov rsp, boot_stack_top
	mov edi, [boot_protocol]		; (low addresses, still mapped)
	mov esi, [boot_info_phys]
	xor ebp, ebp				; ends every backtrace
	call x86_64_start
.hang:
	cli
	hlt
	jmp .hang

section .bss
align 16
global boot_stack, boot_stack_top
boot_stack:	resb 16384
boot_stack_top:

section .boot.data progbits alloc noexec write align=4096
global boot_tsc, boot_pml4
boot_pml4:	times 4096 db 0
boot_pdpt_low:	times 4096 db 0
boot_pdpt_high:	times 4096 db 0
boot_pd:	times 4 * 4096 db 0
boot_pt_end:
boot_gdt:
	dq 0
	dq 0x00af9a000000ffff			; 0x08: 64-bit code
	dq 0x00cf92000000ffff			; 0x10: data
boot_gdt_ptr:
	dw boot_gdt_ptr - boot_gdt - 1
	dd boot_gdt
boot_tsc:	dq 0
boot_protocol:	dd 0
boot_info_phys:	dd 0
ext_features:	dd 0
msg_bad_magic:	db "boot: entered at mb2_entry32 without the multiboot2 magic in eax; halting", 13, 10, 0
msg_no_long_mode: db "boot: this CPU has no long mode (x86-64); this kernel needs one; halting", 13, 10, 0
align 16
		times 1024 db 0
boot32_stack_top:
