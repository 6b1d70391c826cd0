// Must NOT compile with the maps' include root: the models know nothing of the tools.
#include "tools/scenario/scenario.hpp"
