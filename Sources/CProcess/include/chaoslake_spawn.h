#ifndef CHAOSLAKE_SPAWN_H
#define CHAOSLAKE_SPAWN_H
#include <sys/types.h>

/// Starts `path` with `argv` (NULL-terminated), stdin from /dev/null and stdout and stderr
/// appended to `log_path`, with every other inherited descriptor closed, so that a daemon
/// it leaves behind (pg_ctl's postgres) holds none of the caller's pipes. Returns 0 and the
/// child's pid, or an errno value.
int chaoslake_spawn(const char *path, char *const argv[], const char *log_path, pid_t *pid);

#endif
