#include "harness/trace/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

namespace harness {
namespace {

constexpr std::string_view kTempSuffix = ".interleave-tmp";

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
  throw IoError(path, reason(error), verb);
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

/// Writes all of `contents` to `fd`; false with errno set on failure.
bool write_all(int fd, std::string_view contents) {
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    written += static_cast<std::size_t>(n);
  }
  return true;
}

/// The pid in a temporary file name of ours for `base` (".<base>.<pid>.interleave-tmp",
/// or the older "<base>.tmp.<pid>"), else 0.
pid_t temp_owner(std::string_view entry, std::string_view base) {
  std::string_view digits;
  if (entry.size() > base.size() + 2 + kTempSuffix.size() && entry[0] == '.' && entry.substr(1, base.size()) == base &&
      entry[1 + base.size()] == '.' && entry.ends_with(kTempSuffix)) {
    digits = entry.substr(2 + base.size(), entry.size() - 2 - base.size() - kTempSuffix.size());
  } else if (entry.size() > base.size() + 5 && entry.substr(0, base.size()) == base &&
             entry.substr(base.size(), 5) == ".tmp.") {
    digits = entry.substr(base.size() + 5);
  } else {
    return 0;
  }
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string_view::npos) return 0;
  return static_cast<pid_t>(std::stol(std::string(digits)));
}

/// Removes temporary files for `base` in `folder` whose writer is gone (a
/// killed run). A file whose process still exists (or might: pid reuse) is
/// left alone, so a concurrent writer is never disturbed.
void remove_stale_temps(const std::string& folder, const std::string& base) {
  DIR* dir = ::opendir(folder.c_str());
  if (dir == nullptr) return;
  while (const dirent* entry = ::readdir(dir)) {
    const pid_t owner = temp_owner(entry->d_name, base);
    if (owner <= 0 || owner == ::getpid()) continue;
    if (::kill(owner, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    const std::string stale = (std::filesystem::path(folder) / entry->d_name).string();
    struct stat info {};
    if (::lstat(stale.c_str(), &info) == 0 && S_ISREG(info.st_mode)) ::unlink(stale.c_str());
  }
  ::closedir(dir);
}

void write_through(const std::string& path, std::string_view contents) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) throw_errno("write", path, errno);
  if (!write_all(fd, contents)) {
    const int error = errno;
    ::close(fd);
    throw_errno("write", path, error);
  }
  if (::close(fd) != 0 && errno != EINTR) throw_errno("write", path, errno);
}

}  // namespace

FileRefused::FileRefused(std::string path, std::string reason_text)
    : std::runtime_error(fmt::format("{}: {}", path, reason_text)), path_(std::move(path)), reason_(std::move(reason_text)) {}

IoError::IoError(const std::string& path, const std::string& reason_text, std::string_view verb)
    : std::runtime_error(fmt::format("could not {} {}: {}", verb, path, reason_text)), path_(path) {}

std::string size_text(std::size_t bytes) {
  if (bytes >= (std::size_t{1} << 20) && bytes % (std::size_t{1} << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= 1024 && bytes % 1024 == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

void write_file_atomically(const std::string& path, std::string_view contents) {
  if (path.empty()) throw FileRefused(path, "an empty file name");
  std::string target = path;
  struct stat info {};
  if (::lstat(path.c_str(), &info) == 0) {
    if (S_ISLNK(info.st_mode)) {
      // Replace the file the link names, and keep the link.
      char resolved[PATH_MAX];
      if (::realpath(path.c_str(), resolved) == nullptr) throw FileRefused(path, "is a symbolic link to nowhere");
      target = resolved;
      if (::stat(target.c_str(), &info) != 0) throw_errno("write", path, errno);
    }
    if (S_ISCHR(info.st_mode) || S_ISFIFO(info.st_mode)) {
      write_through(target, contents);
      return;
    }
    if (S_ISDIR(info.st_mode)) throw FileRefused(path, "is a directory, expected a file name");
    if (!S_ISREG(info.st_mode))
      throw FileRefused(path, fmt::format("is {}: only a regular file, a character device or a pipe can be written",
                                          file_type(info.st_mode)));
  } else if (errno != ENOENT) {
    throw_errno("write", path, errno);
  }

  const std::filesystem::path target_path(target);
  const std::string folder = target_path.has_parent_path() ? target_path.parent_path().string() : ".";
  const std::string base = target_path.filename().string();
  remove_stale_temps(folder, base);
  // Hidden, and not ending in the target's extension: never read as a report or a trace.
  const std::string temp =
      (std::filesystem::path(folder) / fmt::format(".{}.{}{}", base, ::getpid(), kTempSuffix)).string();
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EEXIST) {
    // Ours by name and pid: left by an earlier write of this process that
    // could not clean up, or by a killed process whose pid was reused.
    ::unlink(temp.c_str());
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  }
  if (fd < 0) throw_errno("write", path, errno);
  if (!write_all(fd, contents)) {
    const int error = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    throw_errno("write", path, error);
  }
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    throw_errno("write", path, error);
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    throw_errno("write", path, error);
  }
  if (std::rename(temp.c_str(), target.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    throw_errno("write", path, error);
  }
}

void create_folders(const std::string& folder) {
  if (folder.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) throw IoError(folder, error.message());
  if (!std::filesystem::is_directory(folder)) throw FileRefused(folder, "is not a directory, expected a folder");
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
