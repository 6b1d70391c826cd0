// Must compile with the engine's include root (the control: the roots work).
#include "harness/harness.hpp"
