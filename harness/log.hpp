// Logging for the engine and tools: spdlog to stderr, off by default.
// spdlog checks the level before formatting, so a disabled log costs a
// branch; still, nothing in the per-step hot path logs.
#pragma once

#include <optional>
#include <string_view>

#include <spdlog/spdlog.h>

namespace harness {

/// The level names accepted by --log-level.
inline constexpr std::string_view kLogLevels = "trace, debug, info, warn, error, off";

/// Sets the global level; returns false (changing nothing) for an unknown name.
bool configure_logging(std::string_view level);

}  // namespace harness
