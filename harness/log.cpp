#include "harness/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>

namespace harness {

spdlog::logger& logger() {
  static const std::shared_ptr<spdlog::logger> instance = [] {
    auto created = std::make_shared<spdlog::logger>("interleave", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    created->set_pattern("[%l] %v");
    created->set_level(spdlog::level::off);
    return created;
  }();
  return *instance;
}

bool configure_logging(std::string_view level) {
  const spdlog::level::level_enum parsed = spdlog::level::from_str(std::string(level));
  // from_str maps unknown names to "off": accept "off" only when asked for.
  if (parsed == spdlog::level::off && level != "off") return false;
  logger().set_level(parsed);
  return true;
}

}  // namespace harness
