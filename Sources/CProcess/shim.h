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
