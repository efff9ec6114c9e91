#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

// glibc declares these only under _GNU_SOURCE, which would make this module's view of the
// system headers differ from Swift's own Glibc module.
extern char **environ;
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);

// Spawns `path` with `argv` and this process's environment, `channel` as the child's
// descriptor 3, its stdin, stdout and stderr on /dev/null (no library can write into the
// protocol or onto the terminal), every other descriptor closed. Returns 0 or an errno.
static inline int cprocess_spawn(pid_t *pid, const char *path, char *const argv[], int channel) {
    posix_spawn_file_actions_t actions;
    int status = posix_spawn_file_actions_init(&actions);
    if (status != 0) return status;
    status = posix_spawn_file_actions_adddup2(&actions, channel, 3);
    if (status == 0) status = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (status == 0) status = posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    if (status == 0) status = posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    if (status == 0) status = posix_spawn_file_actions_addclosefrom_np(&actions, 4);
    if (status == 0) status = posix_spawn(pid, path, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    return status;
}

// The status macros of <sys/wait.h> are function-like and do not import into Swift.
static inline int cprocess_exited(int status) { return WIFEXITED(status); }
static inline int cprocess_exit_code(int status) { return WEXITSTATUS(status); }
static inline int cprocess_signaled(int status) { return WIFSIGNALED(status); }
static inline int cprocess_signal(int status) { return WTERMSIG(status); }

// External plugins (blindfold-plugin/1): `path` runs with `argv` and exactly `envp`, `in_fd`,
// `out_fd` and `err_fd` as its stdin, stdout and stderr, `cwd` as its working directory, an
// address-space cap of `memory_cap` bytes (0: none), no new privileges, its own process group
// (a Ctrl-C on the terminal is the scanner's to handle), default signal dispositions and mask,
// and every other descriptor closed at exec. fork() rather than posix_spawn because the rlimit,
// no_new_privs and chdir must be set in the child; the child calls only async-signal-safe
// system calls before execve. Returns 0 or the errno of the step that failed (exec included,
// reported through a close-on-exec pipe).
#include <errno.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>
extern int close_range(unsigned int first, unsigned int last, int flags);
extern int pipe2(int fds[2], int flags);
static inline int cprocess_spawn_plugin(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                                        const char *cwd, int in_fd, int out_fd, int err_fd,
                                        unsigned long long memory_cap) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return errno;
    pid_t child = fork();
    if (child < 0) {
        int error = errno;
        close(report[0]);
        close(report[1]);
        return error;
    }
    if (child == 0) {
        int error = 0;
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        struct sigaction standard;
        standard.sa_handler = SIG_DFL;
        standard.sa_flags = 0;
        sigemptyset(&standard.sa_mask);
        for (int signal = 1; signal < 32; signal++) {
            if (signal != SIGKILL && signal != SIGSTOP) sigaction(signal, &standard, NULL);
        }
        if (setpgid(0, 0) != 0) error = errno;
        if (error == 0 && (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)) error = errno;
        if (error == 0 && chdir(cwd) != 0) error = errno;
        if (error == 0 && memory_cap > 0) {
            struct rlimit limit = { (rlim_t)memory_cap, (rlim_t)memory_cap };
            if (setrlimit(RLIMIT_AS, &limit) != 0) error = errno;
        }
        if (error == 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) error = errno;
        // 4 = CLOSE_RANGE_CLOEXEC: the report pipe stays open until execve succeeds.
        if (error == 0 && close_range(3, ~0U, 4) != 0) error = errno;
        if (error == 0) {
            execve(path, argv, envp);
            error = errno;
        }
        ssize_t ignored = write(report[1], &error, sizeof error);
        (void)ignored;
        _exit(127);
    }
    close(report[1]);
    int error = 0;
    ssize_t got;
    do { got = read(report[0], &error, sizeof error); } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof error) {
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
        return error != 0 ? error : ECHILD;
    }
    *pid = child;
    return 0;
}

// Container workers: a fault (a crash, an abort, a failed check) while the address space is
// within an eighth of its RLIMIT_AS cap (at least 96 MiB) is an allocation that hit the cap,
// so the worker exits with CPROCESS_MEMORY_CAP_EXIT and the scanner records a memory limit
// rather than a crash. Any other fault kills the worker with its own signal, as before. The
// handler reads the cap and /proc/self/statm with system calls only (async-signal-safe), and
// keeps no state.
#include <string.h>
#define CPROCESS_MEMORY_CAP_EXIT 86
static inline void cprocess_memory_fault_handler(int signal) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
        int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            char text[64];
            ssize_t got = read(fd, text, sizeof text - 1);
            close(fd);
            unsigned long long pages = 0;
            for (ssize_t index = 0; index < got && text[index] >= '0' && text[index] <= '9'; index++) {
                pages = pages * 10 + (unsigned long long)(text[index] - '0');
            }
            unsigned long long used = pages * (unsigned long long)getpagesize();
            unsigned long long cap = (unsigned long long)limit.rlim_cur;
            unsigned long long margin = cap / 8 > (96ULL << 20) ? cap / 8 : (96ULL << 20);
            if (got > 0 && used + margin >= cap) _exit(CPROCESS_MEMORY_CAP_EXIT);
        }
    }
    // SA_RESETHAND restored the default action: die of the signal itself.
    raise(signal);
}

static inline void cprocess_exit_on_memory_cap(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = cprocess_memory_fault_handler;
    action.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    const int signals[] = { SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGTRAP, SIGFPE };
    for (unsigned index = 0; index < sizeof signals / sizeof signals[0]; index++) sigaction(signals[index], &action, NULL);
}
