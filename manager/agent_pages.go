//go:build linux

package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// dropBinaryPages lets go of the pages of this binary's code and read-only data the
// process has mapped so far. The binary is the whole manager: starting it (the packages'
// init, and the kernel mapping pages around each one read) maps most of its 20 MiB, of
// which the agent's loop uses a small part. The pages stay in the page cache; those the
// agent needs are mapped again at their next use, so only they count in its RSS. Only
// mappings of the executable file that are not writable are touched: nothing of the
// process's own data can be lost.
func dropBinaryPages() {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return
	}
	maps, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer maps.Close()
	sc := bufio.NewScanner(maps)
	for sc.Scan() {
		f := strings.Fields(sc.Text()) // start-end perms offset dev inode path
		if len(f) < 6 || f[5] != exe || strings.Contains(f[1], "w") {
			continue
		}
		from, to, ok := strings.Cut(f[0], "-")
		start, err1 := strconv.ParseUint(from, 16, 64)
		end, err2 := strconv.ParseUint(to, 16, 64)
		if !ok || err1 != nil || err2 != nil {
			continue
		}
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), syscall.MADV_DONTNEED)
	}
}
