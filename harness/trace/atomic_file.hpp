// Reading and writing whole files, safely: the one place file I/O happens.
//
// Writing: readers see the old contents or the new, never a torn mix
// (leveldb's SetCurrentFile): write a temporary file beside the target, flush
// it to disk, rename it over the target; on any failure remove the temporary
// and leave the target as it was. Only a regular file (or a name not taken
// yet) is replaced that way. A character device or a FIFO (/dev/null,
// /dev/stdout, a pipe) is written through, as a shell redirection would; a
// symbolic link is followed (the file it names is replaced, the link stays);
// a folder or anything else is refused. Temporary files are hidden and named
// `.<name>.<pid>.interleave-tmp`, so globs such as *.trace or *.json and
// `interleave regress` never pick them up; one left by a killed run (its
// process is gone) is removed the next time its target is written.
//
// Reading: only regular files, and only up to a size limit, so that a
// directory, a device such as /dev/zero, a pipe that never ends or a huge file
// is refused with a clear message instead of blocking or exhausting memory.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace harness {

/// The file named cannot be what was asked for: it does not exist, it is a
/// directory, it is not a regular file, or it is too large. A mistake in
/// what was named (the CLI exits 2). what() is "PATH: reason".
class FileRefused : public std::runtime_error {
 public:
  FileRefused(std::string path, std::string reason);
  const std::string& path() const { return path_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string path_;
  std::string reason_;
};

/// The system failed to read or write a file that could be named
/// (permissions, an I/O error, a full disk): the CLI exits 4. what() is
/// "could not read PATH: reason" or "could not write PATH: reason".
class IoError : public std::runtime_error {
 public:
  IoError(const std::string& path, const std::string& reason, std::string_view verb = "write");
  /// A whole message, "could not read folder F: reason".
  explicit IoError(const std::string& message) : std::runtime_error(message) {}
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// The default limit of read_file: 256 MiB.
inline constexpr std::size_t kMaxFileBytes = std::size_t{256} << 20;

/// Writes `contents` to `path` (see above). Throws FileRefused when `path`
/// is a folder or a kind of file that cannot be written, or its folder does
/// not exist; IoError when the system fails.
void write_file_atomically(const std::string& path, std::string_view contents);

/// Creates `folder` and its parents as needed; throws IoError.
void create_folders(const std::string& folder);

/// Reads a whole regular file of at most `max_bytes` bytes. `what` names the
/// kind of file expected, for messages ("a trace file"). Throws FileRefused
/// or IoError. Never blocks on a pipe or device.
std::string read_file(const std::string& path, std::size_t max_bytes = kMaxFileBytes,
                      std::string_view what = "a file");

/// "1 MiB", "256 MiB", "512 KiB", "100 bytes".
std::string size_text(std::size_t bytes);

}  // namespace harness
