#define _GNU_SOURCE
#include "chaoslake_spawn.h"
#include <fcntl.h>
#include <spawn.h>

extern char **environ;

int chaoslake_spawn(const char *path, char *const argv[], const char *log_path, pid_t *pid) {
  posix_spawn_file_actions_t actions;
  int status = posix_spawn_file_actions_init(&actions);
  if (status != 0) return status;
  status = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (status == 0)
    status = posix_spawn_file_actions_addopen(&actions, 1, log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (status == 0) status = posix_spawn_file_actions_adddup2(&actions, 1, 2);
  if (status == 0) status = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  if (status == 0) status = posix_spawn(pid, path, &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  return status;
}
