// What a trace and a report know of a shared object: its kind and name. A
// plain data header: it pulls in neither the runtime nor Boost.Context.
#pragma once

#include <string>

namespace harness {

struct ObjectInfo {
  std::string kind;  ///< "mutex", "atomic", "gomap", …
  std::string name;
  friend bool operator==(const ObjectInfo&, const ObjectInfo&) = default;
};

}  // namespace harness
