#include "harness/trace/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

namespace harness {
namespace {

/// The system's reason, as strerror gives it but starting lower case, so it
/// reads as the end of a sentence: "permission denied".
std::string reason(int error) {
  std::string text = std::strerror(error);
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z' && !(text.size() > 1 && text[1] >= 'A' && text[1] <= 'Z'))
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  return text;
}

/// errno values that say the name is wrong rather than that the system failed.
bool naming_mistake(int error) { return error == ENOENT || error == ENOTDIR || error == ENAMETOOLONG || error == ELOOP; }

[[noreturn]] void throw_errno(std::string_view verb, const std::string& path, int error) {
  if (naming_mistake(error))
    throw FileRefused(path, verb == "write" ? "cannot be created: " + reason(error) : reason(error));
  throw FileIoError(fmt::format("could not {} {}: {}", verb, path, reason(error)));
}

std::string file_type(mode_t mode) {
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a pipe";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }
  /// Closes now, reporting the result.
  int close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

}  // namespace

FileRefused::FileRefused(std::string path, std::string reason)
    : std::runtime_error(fmt::format("{}: {}", path, reason)), path_(std::move(path)), reason_(std::move(reason)) {}

std::string size_text(std::size_t bytes) {
  if (bytes >= (std::size_t{1} << 20) && bytes % (std::size_t{1} << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= 1024 && bytes % 1024 == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

void write_file_atomically(const std::string& path, std::string_view contents) {
  struct stat target {};
  if (::stat(path.c_str(), &target) == 0) {
    // Renaming over a directory fails; renaming over a device replaces it.
    if (S_ISDIR(target.st_mode)) throw FileRefused(path, "is a directory, expected a file name");
    if (!S_ISREG(target.st_mode))
      throw FileRefused(path, fmt::format("is {}: only a regular file can be written", file_type(target.st_mode)));
  }
  // The pid keeps two processes writing the same target from sharing a temp file.
  const std::string temp = fmt::format("{}.tmp.{}", path, ::getpid());
  Descriptor fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) throw_errno("write", path, errno);
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd.get(), contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      fd.close();
      ::unlink(temp.c_str());
      throw_errno("write", path, error);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0 || fd.close() != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    throw_errno("write", path, error);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    throw_errno("write", path, error);
  }
}

std::string read_file(const std::string& path, std::size_t max_bytes, std::string_view what) {
  // O_NONBLOCK: opening a pipe with no writer must not wait for one.
  Descriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) {
    const int error = errno;
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
      throw FileRefused(path, fmt::format("is a directory, expected {}", what));
    throw_errno("read", path, error);
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) throw_errno("read", path, errno);
  if (S_ISDIR(info.st_mode)) throw FileRefused(path, fmt::format("is a directory, expected {}", what));
  if (!S_ISREG(info.st_mode)) throw FileRefused(path, fmt::format("is {}, expected {}", file_type(info.st_mode), what));
  auto too_large = [&](std::uint64_t size) {
    return FileRefused(path, fmt::format("is too large for {}: {} bytes, at most {}", what, size, size_text(max_bytes)));
  };
  if (static_cast<std::uint64_t>(info.st_size) > max_bytes) throw too_large(static_cast<std::uint64_t>(info.st_size));
  // Read at most one byte past the limit: the file may grow while we read.
  std::string contents;
  contents.resize(static_cast<std::size_t>(info.st_size) + 1);
  const std::size_t cap = max_bytes == SIZE_MAX ? max_bytes : max_bytes + 1;
  std::size_t used = 0;
  for (;;) {
    if (used == contents.size()) {
      if (contents.size() > max_bytes) throw too_large(contents.size());
      contents.resize(std::min(cap, contents.size() * 2));
    }
    const ssize_t n = ::read(fd.get(), contents.data() + used, contents.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("read", path, errno);
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > max_bytes) throw too_large(used);
  contents.resize(used);
  return contents;
}

}  // namespace harness
