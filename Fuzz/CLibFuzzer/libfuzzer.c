// The declaration is all this target is for; the definition is libFuzzer's.
#include "libfuzzer.h"
