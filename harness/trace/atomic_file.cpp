#include "harness/trace/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace harness {
namespace {

constexpr std::string_view kTempSuffix = ".interleave-tmp";

IoError io_error(const std::string& path, int error = errno) { return IoError(path, std::strerror(error)); }

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
  if (fd < 0) throw io_error(path);
  if (!write_all(fd, contents)) {
    const int error = errno;
    ::close(fd);
    throw io_error(path, error);
  }
  if (::close(fd) != 0 && errno != EINTR) throw io_error(path);
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view contents) {
  if (path.empty()) throw IoError(path, "empty file name");
  std::string target = path;
  struct stat info {};
  if (::lstat(path.c_str(), &info) == 0) {
    if (S_ISLNK(info.st_mode)) {
      // Replace the file the link names, and keep the link.
      char resolved[PATH_MAX];
      if (::realpath(path.c_str(), resolved) == nullptr) throw IoError(path, "a symbolic link to nowhere");
      target = resolved;
      if (::stat(target.c_str(), &info) != 0) throw io_error(path);
    }
    if (S_ISCHR(info.st_mode) || S_ISFIFO(info.st_mode)) {
      write_through(target, contents);
      return;
    }
    if (S_ISDIR(info.st_mode)) throw IoError(path, "is a folder");
    if (!S_ISREG(info.st_mode)) throw IoError(path, "not a regular file, a character device or a FIFO");
  } else if (errno != ENOENT) {
    throw io_error(path);
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
  if (fd < 0) throw io_error(path);
  if (!write_all(fd, contents)) {
    const int error = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    throw io_error(path, error);
  }
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    throw io_error(path, error);
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    throw io_error(path, error);
  }
  if (std::rename(temp.c_str(), target.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    throw io_error(path, error);
  }
}

void create_folders(const std::string& folder) {
  if (folder.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) throw IoError(folder, error.message());
  if (!std::filesystem::is_directory(folder)) throw IoError(folder, "not a folder");
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) throw std::runtime_error(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  return contents.str();
}

}  // namespace harness
