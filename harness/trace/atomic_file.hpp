// Writing a file so that readers see the old contents or the new, never a
// torn mix (leveldb's SetCurrentFile): write a temporary file beside the
// target, flush it to disk, rename it over the target; on any failure remove
// the temporary and leave the target as it was.
//
// Only a regular file (or a name not taken yet) is replaced that way. A
// character device or a FIFO (/dev/null, /dev/stdout, a pipe) is written
// through, as a shell redirection would; a symbolic link is followed (the
// file it names is replaced, the link stays); anything else (a folder, a
// socket, a block device, a dangling link) is refused.
//
// Temporary files are hidden and named `.<name>.<pid>.interleave-tmp`, so
// globs such as *.trace or *.json and `interleave regress` never pick them
// up; one left by a killed run (its process is gone) is removed the next
// time its target is written.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace harness {

/// A file or folder that could not be written: "could not write PATH: reason".
class IoError : public std::runtime_error {
 public:
  IoError(const std::string& path, const std::string& reason)
      : std::runtime_error("could not write " + path + ": " + reason), path_(path) {}
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Throws IoError naming the path and the system's reason.
void write_file_atomically(const std::string& path, std::string_view contents);

/// Creates `folder` and its parents as needed; throws IoError.
void create_folders(const std::string& folder);

/// Reads a whole file; throws std::runtime_error naming the path on failure.
std::string read_file(const std::string& path);

}  // namespace harness
