// Must NOT compile with the engine's include root: the engine knows nothing of the tools.
#include "tools/scenario/scenario.hpp"
