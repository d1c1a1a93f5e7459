; arch/x86_64/smp_trampoline.asm - where an application processor starts.
;
; A CPU woken by INIT-SIPI-SIPI starts in 16-bit real mode at CS:IP =
; (vector << 8):0000, i.e. at the start of the 4 KiB page number `vector`
; below 1 MiB. arch/x86_64/smp.c copies this code to such a page and fills
; in the data block at its end; the code finds itself through CS, so it
; runs at whatever page it was copied to. Steps (Intel SDM vol. 3, 9.9):
; real mode -> protected mode (own GDT) -> PAE paging with a page table
; that identity-maps this page and maps the kernel high -> long mode ->
; jump to x86_ap_entry64 at the kernel's high address.

section .rodata
global x86_trampoline_start, x86_trampoline_end
global x86_tramp_gdtr, x86_tramp_far32, x86_tramp_far64
global x86_tramp_cr3, x86_tramp_cr4, x86_tramp_efer, x86_tramp_cr0
global x86_tramp_cpu, x86_tramp_kernel_cr3, x86_tramp_stack, x86_tramp_entry

%define OFF(x) ((x) - x86_trampoline_start)

bits 16
align 4096
x86_trampoline_start:
	cli
	cld
	mov ax, cs
	mov ds, ax
	xor ebx, ebx
	mov bx, ax
	shl ebx, 4				; ebx = this page's physical address
	lgdt [OFF(x86_tramp_gdtr)]
	mov eax, cr0
	or eax, 1				; PE
	mov cr0, eax
	o32 jmp far [OFF(x86_tramp_far32)]

bits 32
tramp_pm32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, [ebx + OFF(x86_tramp_cr4)]	; the boot CPU's CR4 (PAE, PGE)
	mov cr4, eax
	mov eax, [ebx + OFF(x86_tramp_cr3)]
	mov cr3, eax
	mov ecx, 0xc0000080			; EFER: LME, NXE as on the boot CPU
	mov eax, [ebx + OFF(x86_tramp_efer)]
	xor edx, edx
	wrmsr
	mov eax, [ebx + OFF(x86_tramp_cr0)]	; PG, WP, PE...
	mov cr0, eax
	jmp far [ebx + OFF(x86_tramp_far64)]

bits 64
tramp_lm64:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov ebx, ebx				; upper half undefined after the mode switch
	mov rdi, [rbx + OFF(x86_tramp_cpu)]
	mov rsi, [rbx + OFF(x86_tramp_kernel_cr3)]
	mov rdx, [rbx + OFF(x86_tramp_stack)]
	mov rax, [rbx + OFF(x86_tramp_entry)]
	jmp rax

; ---- data, filled in by arch/x86_64/smp.c before each start ----
align 16
tramp_gdt:
	dq 0
	dq 0x00cf9a000000ffff			; 0x08 32-bit code
	dq 0x00cf92000000ffff			; 0x10 data
	dq 0x00af9a000000ffff			; 0x18 64-bit code
tramp_gdt_end:
x86_tramp_gdtr:
	dw tramp_gdt_end - tramp_gdt - 1
	dd OFF(tramp_gdt)			; + page address
align 8
x86_tramp_far32:
	dd OFF(tramp_pm32)			; + page address
	dw 0x08
align 8
x86_tramp_far64:
	dd OFF(tramp_lm64)			; + page address
	dw 0x18
align 8
x86_tramp_cr3:		dq 0
x86_tramp_cr4:		dq 0
x86_tramp_efer:		dq 0
x86_tramp_cr0:		dq 0
x86_tramp_cpu:		dq 0
x86_tramp_kernel_cr3:	dq 0
x86_tramp_stack:	dq 0
x86_tramp_entry:	dq 0
x86_trampoline_end:
