#include "harness/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>

namespace harness {

bool configure_logging(std::string_view level) {
  const spdlog::level::level_enum parsed = spdlog::level::from_str(std::string(level));
  // from_str maps unknown names to "off": accept "off" only when asked for.
  if (parsed == spdlog::level::off && level != "off") return false;
  static bool sink_ready = false;
  if (!sink_ready) {
    auto logger = spdlog::stderr_logger_st("interleave");
    logger->set_pattern("[%l] %v");
    spdlog::set_default_logger(logger);
    sink_ready = true;
  }
  spdlog::set_level(parsed);
  return true;
}

}  // namespace harness
