#include "tools/interleave/operation_table.hpp"

#include <array>
#include <optional>
#include <string_view>

namespace interleave {
namespace {

std::string_view family(std::string_view label) { return label.substr(0, label.find('.')); }

bool ends_with(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

/// The Go runtime's map entry points: each call runs several steps.
bool map_function(std::string_view f) {
  constexpr std::array<std::string_view, 6> kNames = {"mapaccess", "mapassign", "mapdelete",
                                                      "mapclear",  "mapiterinit", "mapiternext"};
  for (const std::string_view name : kNames)
    if (f == name) return true;
  return false;
}

/// Functions a map call runs inside itself (growth, overflow buckets).
bool map_helper(std::string_view f) {
  return f == "hashGrow" || f == "evacuate" || f == "newoverflow" || f == "growWork" || f == "makeBucketArray";
}

/// Whether `label` starts a new operation whatever came before it.
bool entry(std::string_view label) {
  const std::string_view f = family(label);
  if (map_helper(f)) return false;
  if (!map_function(f)) return label != "rwmutex.lock-wait-readers";  // single-step kinds
  if (f == "mapiternext") return false;  // the loop of a range: part of it
  return ends_with(label, ".check-writing") || label == f || ends_with(label, ".start") || ends_with(label, ".nil");
}

/// Whether `label` can continue an operation that began with `first`.
bool continues(std::string_view first, std::string_view label) {
  const std::string_view of = family(first);
  const std::string_view f = family(label);
  if (first == "rwmutex.lock") return label == "rwmutex.lock-wait-readers";
  if (!map_function(of)) return false;
  if (f == of || map_helper(f)) return true;
  return of == "mapiterinit" && f == "mapiternext";
}

std::string before_semicolon(const std::string& detail) { return detail.substr(0, detail.find(';')); }

/// "m[1] = 2" or "m[0]": what the scenario wrote, as the first step's detail says it.
bool looks_like_call(const std::string& text) {
  const std::size_t open = text.find_first_of("[(");
  return open != std::string::npos && open > 0 && text.find_first_of("])", open) != std::string::npos &&
         text.find(' ') > open;
}

std::string object_name(const harness::Trace& trace, const harness::Event& e) {
  if (e.object == harness::kNoObject || harness::index(e.object) >= trace.objects.size()) return {};
  return trace.objects[harness::index(e.object)].name;
}

/// "m.flags" -> "m": the map a step's word belongs to.
std::string owner(const std::string& name) { return name.substr(0, name.find('.')); }

std::optional<std::string_view> after(std::string_view text, std::string_view prefix) {
  if (text.substr(0, prefix.size()) != prefix) return std::nullopt;
  return text.substr(prefix.size());
}

void describe(const harness::Trace& trace, OperationRow& row) {
  const harness::Event& first = trace.events[row.events.front()];
  const std::string_view f = family(first.label);
  const std::string name = object_name(trace, first);
  const std::string head = before_semicolon(first.detail);
  if (map_function(f)) {
    if (looks_like_call(head)) row.call = head;
    else if (f == "mapiterinit") row.call = "range " + (name.empty() ? std::string("map") : owner(name));
    else if (first.label == "mapassign.nil") row.call = "assign to nil map " + owner(name);
    else row.call = std::string(f) + (name.empty() ? "" : " " + owner(name));
    std::string yields;
    bool probed = false;
    bool found = false;
    for (const std::size_t i : row.events) {
      const harness::Event& e = trace.events[i];
      if (ends_with(e.label, "access.probe")) probed = true;
      std::string_view rest = e.detail;
      while (!rest.empty()) {
        const std::size_t end = rest.find(';');
        std::string_view part = rest.substr(0, end);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        if (const auto v = after(part, "found key ")) {
          found = true;
          const std::size_t eq = v->find(" = ");
          row.result = "-> " + std::string(eq == std::string_view::npos ? *v : v->substr(eq + 3));
        } else if (const auto y = after(part, "yields ")) {
          yields += (yields.empty() ? "" : ", ") + std::string(*y);
        }
        if (end == std::string_view::npos) break;
        rest.remove_prefix(end + 1);
      }
    }
    if (!yields.empty()) row.result = "yields " + yields;
    else if (probed && !found) row.result = "-> not found";
    return;
  }
  // Single-step kinds: `mu.Lock()`, `x.Load() -> 3`, `x.Store(4)`.
  const std::size_t dot = first.label.find('.');
  const std::string verb = dot == std::string::npos ? first.label : first.label.substr(dot + 1);
  const std::string target = name.empty() ? std::string(f) : name;
  if (f == "mutex" || f == "rwmutex") {
    std::string method;
    if (verb == "lock") method = "Lock";
    else if (verb == "unlock") method = "Unlock";
    else if (verb == "rlock") method = "RLock";
    else if (verb == "runlock") method = "RUnlock";
    else if (verb == "trylock") method = "TryLock";
    if (!method.empty()) {
      row.call = target + "." + method + "()";
      return;
    }
  }
  if (verb == "load") {
    row.call = target + ".Load()";
    if (const auto v = after(head, "read ")) row.result = "-> " + std::string(*v);
    return;
  }
  if (verb == "store") {
    const auto v = after(head, "wrote ");
    row.call = target + ".Store(" + (v ? std::string(*v) : std::string("...")) + ")";
    return;
  }
  row.call = first.label + (name.empty() ? "" : " (" + name + ")");
}

}  // namespace

OperationTable group_operations(const harness::Trace& trace) {
  OperationTable table;
  table.row_of_event.resize(trace.events.size());
  std::vector<std::optional<std::size_t>> open(trace.fibers.size());
  for (std::size_t i = 0; i < trace.events.size(); ++i) {
    const harness::Event& e = trace.events[i];
    const std::size_t fiber = harness::index(e.fiber);
    if (fiber >= open.size()) open.resize(fiber + 1);
    std::optional<std::size_t>& current = open[fiber];
    const bool joins = current && !entry(e.label) &&
                       continues(trace.events[table.rows[*current].events.front()].label, e.label);
    if (!joins) {
      current = table.rows.size();
      table.rows.push_back(OperationRow{fiber, {}, {}, {}});
    }
    table.rows[*current].events.push_back(i);
    table.row_of_event[i] = *current;
  }
  for (OperationRow& row : table.rows) describe(trace, row);
  return table;
}

std::string operation_text(const OperationRow& row) {
  return row.result.empty() ? row.call : row.call + " " + row.result;
}

}  // namespace interleave
