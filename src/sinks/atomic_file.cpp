#include "sinks/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "net/file_descriptor.h"

namespace strest {
namespace {

Error system_error(const std::string& path, std::string_view action) {
  return Error{path + ": " + std::string(action) + ": " + std::strerror(errno)};
}

bool write_all(int fd, std::string_view contents) {
  while (!contents.empty()) {
    const ssize_t written = ::write(fd, contents.data(), contents.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return false;
    if (written == 0) {
      errno = EIO;  // no progress and no error: do not loop forever
      return false;
    }
    contents.remove_prefix(static_cast<size_t>(written));
  }
  return true;
}

// close() errors are not checked: write() and, when durable, fsync() have reported any.
Status write_temporary(const std::string& temporary, std::string_view contents, bool durable) {
  FileDescriptor file(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!file.valid()) return system_error(temporary, "cannot create");
  if (!write_all(file.get(), contents)) return system_error(temporary, "cannot write");
  if (durable && ::fsync(file.get()) != 0) return system_error(temporary, "cannot sync");
  return Ok{};
}

}  // namespace

std::string temporary_path_for(const std::string& path) {
  return path + ".tmp." + std::to_string(::getpid());
}

Status replace_file(const std::string& path, std::string_view contents, bool durable) {
  const std::string temporary = temporary_path_for(path);
  Status written = write_temporary(temporary, contents, durable);
  if (written && std::rename(temporary.c_str(), path.c_str()) != 0) {
    written = system_error(path, "cannot replace");
  }
  if (!written) ::unlink(temporary.c_str());
  return written;
}

}  // namespace strest
