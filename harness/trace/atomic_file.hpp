// Writing a file so that readers see the old contents or the new, never a
// torn mix (leveldb's SetCurrentFile): write a temporary file beside the
// target, flush it to disk, rename it over the target; on any failure remove
// the temporary and leave the target as it was.
#pragma once

#include <string>
#include <string_view>

namespace harness {

/// Throws std::runtime_error naming the path and the system's reason.
void write_file_atomically(const std::string& path, std::string_view contents);

/// Reads a whole file; throws std::runtime_error naming the path on failure.
std::string read_file(const std::string& path);

}  // namespace harness
