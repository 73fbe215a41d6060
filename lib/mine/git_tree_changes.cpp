// mine/git_tree_changes.cpp — two trees compared entry by entry on their raw bytes.
#include "mine/git_tree_changes.h"

#include <cstring>
#include <memory>

#include "mine/git_objects.h"

namespace firstmile {

namespace {

constexpr unsigned kTypeMask = 0170000, kTree = 0040000, kLink = 0120000, kCommit = 0160000;

// One entry of a raw tree: "<octal mode> <name>\0<20-byte id>".
struct RawEntry {
  const char* begin = nullptr;  // the entry's bytes, for a quick comparison of two entries
  size_t size = 0;
  const char* name = nullptr;
  size_t name_size = 0;
  unsigned mode = 0;
  const unsigned char* id = nullptr;
  bool is_tree() const { return (mode & kTypeMask) == kTree; }
  git_oid oid() const {
    git_oid out;
    git_oid_fromraw(&out, id);
    return out;
  }
};

// Reads a raw tree's entries in order, as strictly as libgit2's tree parser does.
class RawTree {
 public:
  RawTree(const git_odb_object* tree, const std::string& sha)
      : p_(tree ? static_cast<const char*>(git_odb_object_data(const_cast<git_odb_object*>(tree))) : nullptr),
        end_(tree ? p_ + git_odb_object_size(const_cast<git_odb_object*>(tree)) : nullptr),
        sha_(sha) {}

  // The next entry into `e`; false at the end.
  bool next(RawEntry& e) {
    if (p_ == end_) return false;
    e.begin = p_;
    unsigned mode = 0;
    const char* q = p_;
    for (; q < end_ && *q >= '0' && *q <= '7'; ++q) {
      mode = mode * 8 + static_cast<unsigned>(*q - '0');
      if (mode > 0xFFFF) malformed();
    }
    if (q == p_ || q == end_ || *q != ' ') malformed();
    e.mode = mode;
    e.name = ++q;
    const void* nul = std::memchr(q, 0, static_cast<size_t>(end_ - q));
    if (!nul || nul == q) malformed();
    e.name_size = static_cast<size_t>(static_cast<const char*>(nul) - q);
    q = static_cast<const char*>(nul) + 1;
    if (end_ - q < GIT_OID_RAWSZ) malformed();
    e.id = reinterpret_cast<const unsigned char*>(q);
    p_ = q + GIT_OID_RAWSZ;
    e.size = static_cast<size_t>(p_ - e.begin);
    return true;
  }

 private:
  [[noreturn]] void malformed() const { throw Error("commit " + sha_ + ": a malformed tree"); }

  const char* p_;
  const char* end_;
  const std::string& sha_;
};

// Git's order of tree entries: by name, a folder as if its name ended in '/' ("foo.txt" comes
// before the folder "foo"). Both trees are sorted so, which the merge below relies on; a
// mismatch would only list unchanged paths too, never miss a changed one.
int tree_order(const RawEntry& a, const RawEntry& b) {
  const size_t n = std::min(a.name_size, b.name_size);
  if (int c = std::memcmp(a.name, b.name, n); c != 0) return c;
  auto next = [n](const RawEntry& e) -> unsigned char {
    return e.name_size > n ? static_cast<unsigned char>(e.name[n]) : e.is_tree() ? '/' : 0;
  };
  // Names hold no '/', so equal characters here mean the same name and the same kind.
  const unsigned char cx = next(a), cy = next(b);
  return cx < cy ? -1 : cx > cy ? 1 : 0;
}

std::shared_ptr<git_odb_object> read_tree(RecentObjects& recent, const git_oid& id, RecentObjects::Side side,
                                          const std::string& sha) {
  int e = 0;
  std::shared_ptr<git_odb_object> tree = recent.tree_data(id, side, e);
  check(e, sha, "cannot read a tree");
  return tree;
}

void differing_files(RecentObjects& recent, const git_odb_object* a, const git_odb_object* b,
                     const std::string& prefix, const std::string& sha, std::vector<TreeChange>& out) {
  // Every file under an entry present on one side only (old: a's side).
  auto one_side = [&](const RawEntry& e, bool old) {
    std::string path = prefix + std::string(e.name, e.name_size);
    if (e.is_tree()) {
      auto sub = read_tree(recent, e.oid(), old ? RecentObjects::kOldSide : RecentObjects::kNewSide, sha);
      differing_files(recent, old ? sub.get() : nullptr, old ? nullptr : sub.get(), path + "/", sha, out);
      return;
    }
    TreeChange& c = out.emplace_back();
    c.path = std::move(path);
    (old ? c.old_id : c.new_id) = e.oid();
    (old ? c.old_mode : c.new_mode) = normalized_filemode(e.mode);
  };
  RawTree ta(a, sha), tb(b, sha);
  RawEntry ea, eb;
  bool has_a = ta.next(ea), has_b = tb.next(eb);
  while (has_a || has_b) {
    const int order = !has_a ? 1 : !has_b ? -1 : tree_order(ea, eb);
    if (order < 0) {
      one_side(ea, true);
      has_a = ta.next(ea);
      continue;
    }
    if (order > 0) {
      one_side(eb, false);
      has_b = tb.next(eb);
      continue;
    }
    const bool same = (ea.size == eb.size && std::memcmp(ea.begin, eb.begin, ea.size) == 0) ||
                      (std::memcmp(ea.id, eb.id, GIT_OID_RAWSZ) == 0 &&
                       normalized_filemode(ea.mode) == normalized_filemode(eb.mode));
    if (!same) {
      std::string path = prefix + std::string(ea.name, ea.name_size);
      if (ea.is_tree()) {  // then eb is a folder too (tree_order)
        auto sa = read_tree(recent, ea.oid(), RecentObjects::kOldSide, sha);
        auto sb = read_tree(recent, eb.oid(), RecentObjects::kNewSide, sha);
        differing_files(recent, sa.get(), sb.get(), path + "/", sha, out);
      } else {
        TreeChange& c = out.emplace_back();  // a file, a link or a submodule on both sides
        c.path = std::move(path);
        c.old_id = ea.oid(), c.new_id = eb.oid();
        c.old_mode = normalized_filemode(ea.mode), c.new_mode = normalized_filemode(eb.mode);
      }
    }
    has_a = ta.next(ea);
    has_b = tb.next(eb);
  }
}

}  // namespace

git_filemode_t normalized_filemode(unsigned mode) {
  const unsigned type = mode & ~0777u;
  if (type == kTree) return GIT_FILEMODE_TREE;
  if (mode & 0111) return GIT_FILEMODE_BLOB_EXECUTABLE;
  if (type == kCommit) return GIT_FILEMODE_COMMIT;
  if (type == kLink) return GIT_FILEMODE_LINK;
  return GIT_FILEMODE_BLOB;
}

void changed_paths(RecentObjects& recent, const git_oid* old_tree, const git_oid* new_tree, const std::string& sha,
                   std::vector<TreeChange>& out) {
  std::shared_ptr<git_odb_object> a, b;
  if (old_tree) a = read_tree(recent, *old_tree, RecentObjects::kOldSide, sha);
  if (new_tree) b = read_tree(recent, *new_tree, RecentObjects::kNewSide, sha);
  differing_files(recent, a.get(), b.get(), "", sha, out);
}

}  // namespace firstmile
