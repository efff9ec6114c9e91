#include <errno.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

// openat2(2) with RESOLVE_NO_SYMLINKS: opens `path` only if no component of it is a symbolic
// link. glibc 2.36 has no wrapper. Returns the descriptor, or -1 with errno (ENOSYS on kernels
// before 5.6, where the caller falls back to openat).
static inline int clinux_open_no_symlinks(int directory, const char *path, int flags) {
    struct open_how how = {0};
    how.flags = (unsigned long long)(unsigned int)flags;
    how.resolve = RESOLVE_NO_SYMLINKS;
    return (int)syscall(SYS_openat2, directory, path, &how, sizeof how);
}

#include <linux/fs.h>
#include <stdint.h>
#include <sys/ioctl.h>

// The size in bytes of the block device open on `fd` (ioctl BLKGETSIZE64, which Swift cannot
// call: ioctl is variadic). Returns 0 on success, -1 with errno otherwise.
static inline int clinux_block_device_size(int fd, uint64_t *size) {
    return ioctl(fd, BLKGETSIZE64, size) == 0 ? 0 : -1;
}
