// mine/git_pack_reader.h — a libgit2 object database backend that reads a repository's packs
// and keeps the delta bases it builds. A pack stores most versions of a tree or file as a delta
// on another version, in chains up to 50 deep; libgit2's own pack reader caches only a chain's
// bottom, so every read re-applies the whole chain, where git keeps each base it builds. A
// history walked commit by commit reads neighbouring versions one after the other, so keeping
// the bases makes each read one delta instead of a chain.
//
//   add_pack_reader(repo);                    // ahead of libgit2's own backends, for this repository
//   git_object_lookup(&obj, repo, &id, ...);  // served from the packs; anything else (loose
//                                             // objects, an index version it does not read) by libgit2
//
// It reads pack index version 2, ofs- and ref-deltas within a pack; an object it cannot find or
// read is left to libgit2's backends (GIT_ENOTFOUND). Objects are not re-hashed (libgit2's
// strict hash verification is off during an import: git does not re-hash either). Not shared
// between threads: each repository gets its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <git2.h>

namespace firstmile {

// What the backend did, for tests and benchmarks.
struct PackReaderStats {
  size_t packs = 0;       // packs it reads
  size_t served = 0;      // objects it returned
  size_t base_hits = 0;   // delta bases found kept rather than rebuilt
};

// Adds the backend to `repo`'s object database, its kept bases within `cache_bytes`; null if
// the repository has no pack it can read (nothing added: libgit2 reads as before). The stats
// live as long as the repository.
const PackReaderStats* add_pack_reader(git_repository* repo, size_t cache_bytes = size_t{32} << 20);

// Applies a git delta to `base`: the result, or false if the delta is malformed or does not fit.
bool apply_git_delta(const unsigned char* base, size_t base_size, const unsigned char* delta, size_t delta_size,
                     std::string& out);

}  // namespace firstmile
