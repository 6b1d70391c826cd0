// A scenario's identity by meaning (tools/scenario/canonical_hash.hpp):
// formatting, comments, key order and other spellings of a value leave the
// hash alone; any change of a key, a value, a type, an order of array items
// or the tokens of an operation changes it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "harness/trace/atomic_file.hpp"
#include "tools/scenario/canonical_hash.hpp"
#include "tools/scenario/scenario.hpp"

using namespace interleave;

namespace {

constexpr const char* kScenario = R"(description = "two writers"
story = 2

[map]
kind = "go"
hash_seed = 1
initial = ["put 0 0"]

[[goroutine]]
name = "w1"
ops = ["for i in 0..2: put i i+1; get i -> v"]

[[goroutine]]
name = "w2"
ops = ["put 2 2"]

[expect]
reach = ["fatal: concurrent map writes", "ok"]
)";

/// The same scenario, told otherwise: comments, blank lines, white space,
/// keys in another order, an inline table, a hexadecimal integer, literal
/// strings, an array over several lines, operations spaced otherwise.
constexpr const char* kSameMeaning = R"(# Two writers, told another way.
story = 0x2
description = 'two writers'   # a literal string

[[goroutine]]
ops = [ "for  i in 0..2 :put i i + 1 ;get i ->  v " ]
name = "w1"

[[goroutine]]
name = "w2"
ops = ["	put 2 2"]


[expect]
reach = [
  "fatal: concurrent map writes",  # the flag check
  "ok",
]

[map]
initial = ["put 0 0"]
hash_seed = 1
kind = "go"
)";

std::string hash(const std::string& text) { return canonical_scenario_hash(text, "s.toml"); }

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("the canonical form is pinned", "[canonical]") {
  CHECK(canonical_scenario_text("b = 1\na = 'x'\n[t]\nops = [' put  1 2 ']\nf = 1.5\nok = true\n", "s.toml") ==
        "interleave-scenario-canonical 1\n"
        "{\"a\"=s\"x\",\"b\"=i1,\"t\"={\"f\"=f1.5,\"ok\"=btrue,\"ops\"=[s\"put 1 2\",],},}\n");
  // `printf 'interleave-scenario-canonical 1\n{"a"=i1,}\n' | xxh64sum` (Debian's xxhash).
  CHECK(canonical_scenario_text("a = 1\n", "s.toml") == "interleave-scenario-canonical 1\n{\"a\"=i1,}\n");
  CHECK(hash("a = 1\n") == "03612a24ebc0d67c");
}

TEST_CASE("formatting, comments and key order do not change a scenario's hash", "[canonical]") {
  CHECK(hash(kScenario) == hash(kSameMeaning));
  CHECK(hash(kScenario) == hash(std::string(kScenario) + "\n# a comment at the end\n"));
  CHECK(hash(kScenario) == hash(replaced(kScenario, "[map]\n", "[map] # the map\n\n")));
  CHECK(hash(kScenario) == hash(replaced(replaced(kScenario, "[map]\nkind = \"go\"\nhash_seed = 1\ninitial = [\"put 0 0\"]\n",
                                                  ""),
                                         "[[goroutine]]\nname = \"w1\"",
                                         "map = { kind = \"go\", hash_seed = 1, initial = [\"put 0 0\"] }\n"
                                         "[[goroutine]]\nname = \"w1\"")));
}

TEST_CASE("a change of meaning changes the hash", "[canonical]") {
  const std::string base = hash(kScenario);
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"kind = \"go\"", "kind = \"mutex\""},            // the fix of the README's story
           {"\"put 2 2\"", "\"put 2 3\""},                   // a value in an operation
           {"i i+1", "i i-1"},                               // an operator
           {"hash_seed = 1", "hash_seed = \"1\""},           // a string is not an integer
           {"story = 2", "story = 2.0"},                     // nor is a float
           {"\"fatal: concurrent map writes\", \"ok\"", "\"ok\", \"fatal: concurrent map writes\""},  // array order
           {"name = \"w2\"", "name = \"w3\""},
           {"description = \"two writers\"", "description = \"two writers \""},  // not an operation: kept as is
           {"[expect]\n", "[explore]\nseed = 1\n[expect]\n"},  // a key added
       }) {
    INFO(from << " -> " << to);
    CHECK(hash(replaced(kScenario, from, to)) != base);
  }
}

TEST_CASE("operation strings are white-space-normalised without changing their tokens", "[canonical]") {
  CHECK(normalised_operation("  put   1\t2  ") == "put 1 2");
  CHECK(normalised_operation("for i in 0..2 : get i ; put i v + 1") == "for i in 0..2:get i;put i v+1");
  CHECK(normalised_operation("(a) * (b)") == "(a)*(b)");
  // '-' and '.' are kept apart: "v-x" is one word of the language, "v - x" three tokens.
  CHECK(normalised_operation("put 1 v - x") == "put 1 v - x");
  CHECK(normalised_operation("put 1 v-x") == "put 1 v-x");
  CHECK(normalised_operation("get 0 ->  v") == "get 0 -> v");
  // Inside double quotes nothing changes.
  CHECK(normalised_operation("say \"a  b\"  now") == "say \"a  b\" now");
}

TEST_CASE("every scenario of the library has its own hash, the same from its file", "[canonical]") {
  std::set<std::string> hashes;
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(INTERLEAVE_SCENARIO_DIR)) {
    if (entry.path().extension() != ".toml") continue;
    ++files;
    const std::string path = entry.path().string();
    const std::string text = harness::read_file(path);
    const std::string h = canonical_scenario_hash_of_file(path);
    CHECK(h == canonical_scenario_hash(text + "\n\n# appended\n", path));
    CHECK(h.size() == 16);
    hashes.insert(h);
  }
  CHECK(files >= 17);
  CHECK(hashes.size() == files);
}

TEST_CASE("a file that is not TOML is refused with its position", "[canonical]") {
  CHECK_THROWS_WITH(canonical_scenario_hash("a = \n", "s.toml"), Catch::Matchers::Contains("s.toml:1:"));
  CHECK_THROWS_AS(canonical_scenario_hash_of_file("/no/such/file.toml"), ScenarioError);
}
