// Must NOT compile with the scenario language's include root: it knows nothing of the CLI.
#include "tools/interleave/commands.hpp"
