#include "harness/trace/text_escape.hpp"

#include <cstring>

#include <fmt/format.h>

namespace harness::trace_text {

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
          out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        else
          out += c;
    }
  }
  return out + "\"";
}

std::string token(std::string_view text) {
  static constexpr const char* kPlain = "._-:/+<>[]()#@!?*&%$";
  bool plain = !text.empty();
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::strchr(kPlain, c) == nullptr) plain = false;
  }
  return plain ? std::string(text) : quote(text);
}

}  // namespace harness::trace_text
