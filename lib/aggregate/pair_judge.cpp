// aggregate/pair_judge.cpp — placeholder until the judge is written (see pair_judge.h).
#include "aggregate/pair_judge.h"
