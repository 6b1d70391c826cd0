// Must NOT compile with the engine's include root: the engine knows nothing of maps.
#include "maps/go/go_map.hpp"
