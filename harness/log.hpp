// Logging for the engine and tools: an spdlog logger named "interleave",
// writing to stderr, off until configure_logging() says otherwise. spdlog
// checks the level before formatting, so a disabled log costs a branch;
// still, nothing in the per-step hot path logs.
#pragma once

#include <memory>
#include <string_view>

#include <spdlog/spdlog.h>

namespace harness {

/// The level names accepted by --log-level.
inline constexpr std::string_view kLogLevels = "trace, debug, info, warn, error, off";

/// The engine's logger (level "off" by default).
spdlog::logger& logger();

/// Sets the level; returns false (changing nothing) for an unknown name.
bool configure_logging(std::string_view level);

}  // namespace harness
