#include "harness/trace/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace harness {
namespace {
std::runtime_error io_error(const std::string& what, const std::string& path) {
  return std::runtime_error(fmt::format("cannot {} '{}': {}", what, path, std::strerror(errno)));
}
}  // namespace

void write_file_atomically(const std::string& path, std::string_view contents) {
  // The pid keeps two processes writing the same target from sharing a temp file.
  const std::string temp = fmt::format("{}.tmp.{}", path, ::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw io_error("create", temp);
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const auto error = io_error("write", temp);
      ::close(fd);
      ::unlink(temp.c_str());
      throw error;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const auto error = io_error("flush", temp);
    ::unlink(temp.c_str());
    throw error;
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const auto error = io_error("rename a temporary file onto", path);
    ::unlink(temp.c_str());
    throw error;
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw io_error("open", path);
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) throw io_error("read", path);
  return contents.str();
}

}  // namespace harness
