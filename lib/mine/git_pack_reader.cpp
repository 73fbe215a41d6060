// mine/git_pack_reader.cpp — packs read with their delta bases kept (pack format: git's
// Documentation/gitformat-pack.txt; index version 2).
#include "mine/git_pack_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <climits>
#include <cstring>
#include <filesystem>
#include <list>
#include <memory>
#include <unordered_map>

#include <git2/sys/odb_backend.h>

namespace firstmile {

namespace {

uint32_t be32(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 | static_cast<uint32_t>(p[2]) << 8 | p[3];
}

// A file mapped read-only, unmapped with the object.
class Mapped {
 public:
  Mapped() = default;
  Mapped(const Mapped&) = delete;
  Mapped& operator=(const Mapped&) = delete;
  ~Mapped() {
    if (data_) munmap(const_cast<unsigned char*>(data_), size_);
  }
  bool open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st {};
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
      void* p = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) data_ = static_cast<const unsigned char*>(p), size_ = static_cast<size_t>(st.st_size);
    }
    ::close(fd);
    return data_ != nullptr;
  }
  const unsigned char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  const unsigned char* data_ = nullptr;
  size_t size_ = 0;
};

// A pack and its version 2 index.
struct Pack {
  Mapped pack, index;
  uint32_t count = 0;
  const unsigned char* fanout = nullptr;
  const unsigned char* ids = nullptr;
  const unsigned char* offsets = nullptr;
  const unsigned char* large_offsets = nullptr;
  size_t large_count = 0;

  bool open(const std::string& index_path, const std::string& pack_path) {
    if (!index.open(index_path) || !pack.open(pack_path)) return false;
    const unsigned char* x = index.data();
    const size_t n = index.size();
    if (n < 8 + 1024 + 40 || std::memcmp(x, "\377tOc", 4) != 0 || be32(x + 4) != 2) return false;
    fanout = x + 8;
    count = be32(fanout + 255 * 4);
    const size_t fixed = 8 + 1024 + static_cast<size_t>(count) * (GIT_OID_RAWSZ + 4 + 4) + 40;
    if (n < fixed || (n - fixed) % 8 != 0) return false;
    ids = fanout + 1024;
    offsets = ids + static_cast<size_t>(count) * (GIT_OID_RAWSZ + 4);  // past the CRCs
    large_offsets = offsets + static_cast<size_t>(count) * 4;
    large_count = (n - fixed) / 8;
    const unsigned char* p = pack.data();
    return pack.size() >= 32 && std::memcmp(p, "PACK", 4) == 0 && (be32(p + 4) == 2 || be32(p + 4) == 3) &&
           be32(p + 8) == count;
  }

  bool find(const unsigned char* id, uint64_t& offset) const {
    uint32_t lo = id[0] ? be32(fanout + (id[0] - 1) * 4) : 0, hi = be32(fanout + id[0] * 4);
    if (hi > count || lo > hi) return false;  // a corrupt fan-out table: leave it to libgit2
    while (lo < hi) {
      const uint32_t mid = lo + (hi - lo) / 2;
      const int c = std::memcmp(ids + static_cast<size_t>(mid) * GIT_OID_RAWSZ, id, GIT_OID_RAWSZ);
      if (c == 0) {
        const uint32_t o = be32(offsets + static_cast<size_t>(mid) * 4);
        if (!(o & 0x80000000u)) {
          offset = o;
          return true;
        }
        const size_t k = o & 0x7fffffffu;
        if (k >= large_count) return false;
        offset = static_cast<uint64_t>(be32(large_offsets + 8 * k)) << 32 | be32(large_offsets + 8 * k + 4);
        return true;
      }
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return false;
  }
};

using Content = std::shared_ptr<const std::string>;

class Reader {
 public:
  explicit Reader(size_t cache_bytes) : limit_(cache_bytes) {}
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  ~Reader() {
    if (zlib_ready_) inflateEnd(&zlib_);
  }

  std::vector<std::unique_ptr<Pack>> packs;
  PackReaderStats stats;

  // The object `id`: its type and content, or false if no pack here holds it readably.
  bool read(const git_oid& id, git_object_t& type, Content& content) {
    for (size_t p = 0; p < packs.size(); ++p) {
      uint64_t offset = 0;
      if (packs[p]->find(id.id, offset)) {
        if (!unpack(p, offset, type, content, 0)) return false;
        ++stats.served;
        return true;
      }
    }
    return false;
  }

 private:
  struct Cached {
    uint64_t key;
    git_object_t type;
    Content content;
  };

  static uint64_t key(size_t pack, uint64_t offset) { return offset << 16 | (pack & 0xffff); }

  bool unpack(size_t p, uint64_t offset, git_object_t& type, Content& content, int depth) {
    const uint64_t k = key(p, offset);
    if (auto hit = index_.find(k); hit != index_.end()) {
      lru_.splice(lru_.begin(), lru_, hit->second);
      ++stats.base_hits;
      type = hit->second->type;
      content = hit->second->content;
      return true;
    }
    const Pack& pack = *packs[p];
    const unsigned char* d = pack.pack.data();
    const uint64_t end = pack.pack.size() - GIT_OID_RAWSZ;  // the trailer's checksum
    if (offset < 12 || offset >= end || depth > 5000) return false;  // git's deepest chain is 4095
    uint64_t pos = offset;
    unsigned c = d[pos++];
    const unsigned kind = (c >> 4) & 7;
    uint64_t size = c & 15;
    for (unsigned shift = 4; c & 0x80; shift += 7) {
      if (pos >= end || shift > 57) return false;
      c = d[pos++];
      size |= static_cast<uint64_t>(c & 0x7f) << shift;
    }
    auto text = std::make_shared<std::string>();
    if (kind >= 1 && kind <= 4) {
      if (!inflate_to(d + pos, end - pos, size, *text)) return false;
      type = static_cast<git_object_t>(kind);  // 1 commit, 2 tree, 3 blob, 4 tag, as in git_object_t
    } else if (kind == 6 || kind == 7) {
      uint64_t base = 0;
      if (kind == 6) {  // the base this many bytes back
        if (pos >= end) return false;
        c = d[pos++];
        uint64_t back = c & 127;
        while (c & 128) {
          if (pos >= end || back >= (uint64_t{1} << 56)) return false;
          c = d[pos++];
          back = ((back + 1) << 7) | (c & 127);
        }
        if (back == 0 || back > offset) return false;
        base = offset - back;
      } else {  // the base named by id, in this pack
        if (end - pos < GIT_OID_RAWSZ || !pack.find(d + pos, base)) return false;
        pos += GIT_OID_RAWSZ;
      }
      Content base_content;
      std::string delta;
      if (!unpack(p, base, type, base_content, depth + 1) || !inflate_to(d + pos, end - pos, size, delta) ||
          !apply_git_delta(reinterpret_cast<const unsigned char*>(base_content->data()), base_content->size(),
                           reinterpret_cast<const unsigned char*>(delta.data()), delta.size(), *text))
        return false;
    } else {
      return false;
    }
    content = text;
    // Only bases are kept, as git keeps them: a neighbouring version is likely built on the same
    // ones, while the object asked for is the caller's to keep (mine/git_recent_objects.h).
    if (depth > 0) keep(k, type, text);
    return true;
  }

  void keep(uint64_t k, git_object_t type, const Content& content) {
    if (content->size() > limit_ / 16) return;
    lru_.push_front({k, type, content});
    index_[k] = lru_.begin();
    bytes_ += content->size();
    while (bytes_ > limit_ && !lru_.empty()) {
      bytes_ -= lru_.back().content->size();
      index_.erase(lru_.back().key);
      lru_.pop_back();
    }
  }

  bool inflate_to(const unsigned char* in, uint64_t available, uint64_t size, std::string& out) {
    if (size > UINT_MAX) return false;
    if (!zlib_ready_) {
      if (inflateInit(&zlib_) != Z_OK) return false;
      zlib_ready_ = true;
    } else if (inflateReset(&zlib_) != Z_OK) {
      return false;
    }
    out.resize(size);
    zlib_.next_in = const_cast<unsigned char*>(in);
    zlib_.avail_in = static_cast<unsigned>(std::min<uint64_t>(available, UINT_MAX));
    zlib_.next_out = reinterpret_cast<unsigned char*>(out.data());
    zlib_.avail_out = static_cast<unsigned>(size);
    return inflate(&zlib_, Z_FINISH) == Z_STREAM_END && zlib_.total_out == size;
  }

  size_t limit_;
  size_t bytes_ = 0;
  std::list<Cached> lru_;
  std::unordered_map<uint64_t, std::list<Cached>::iterator> index_;
  z_stream zlib_{};
  bool zlib_ready_ = false;
};

struct Backend {
  git_odb_backend parent;  // first: libgit2 hands this back
  Reader* reader;
};

int backend_read(void** data, size_t* size, git_object_t* type, git_odb_backend* backend, const git_oid* id) {
  Reader& reader = *reinterpret_cast<Backend*>(backend)->reader;
  Content content;
  git_object_t kind = GIT_OBJECT_INVALID;
  try {
    if (!reader.read(*id, kind, content)) return GIT_ENOTFOUND;  // libgit2's own backends try next
  } catch (const std::bad_alloc&) {
    return GIT_ENOTFOUND;
  }
  void* out = git_odb_backend_data_alloc(backend, content->size());
  if (!out) return -1;
  std::memcpy(out, content->data(), content->size());
  *data = out;
  *size = content->size();
  *type = kind;
  return 0;
}

void backend_free(git_odb_backend* backend) {
  auto* b = reinterpret_cast<Backend*>(backend);
  delete b->reader;
  delete b;
}

}  // namespace

bool apply_git_delta(const unsigned char* base, size_t base_size, const unsigned char* delta, size_t delta_size,
                     std::string& out) {
  size_t pos = 0;
  auto varint = [&](uint64_t& value) {
    value = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (pos >= delta_size || shift > 63) return false;
      const unsigned char c = delta[pos++];
      value |= static_cast<uint64_t>(c & 0x7f) << shift;
      if (!(c & 0x80)) return true;
    }
  };
  uint64_t source = 0, target = 0;
  if (!varint(source) || !varint(target) || source != base_size) return false;
  out.resize(target);
  size_t written = 0;
  while (pos < delta_size) {
    const unsigned char op = delta[pos++];
    if (op & 0x80) {  // copy from the base
      uint64_t from = 0, length = 0;
      for (unsigned i = 0; i < 4; ++i) {
        if (!(op & (1u << i))) continue;
        if (pos >= delta_size) return false;
        from |= static_cast<uint64_t>(delta[pos++]) << (8 * i);
      }
      for (unsigned i = 0; i < 3; ++i) {
        if (!(op & (0x10u << i))) continue;
        if (pos >= delta_size) return false;
        length |= static_cast<uint64_t>(delta[pos++]) << (8 * i);
      }
      if (length == 0) length = 0x10000;
      if (from + length > base_size || written + length > target) return false;
      std::memcpy(out.data() + written, base + from, length);
      written += length;
    } else if (op) {  // insert the next op bytes
      if (pos + op > delta_size || written + op > target) return false;
      std::memcpy(out.data() + written, delta + pos, op);
      pos += op;
      written += op;
    } else {
      return false;
    }
  }
  return written == target;
}

const PackReaderStats* add_pack_reader(git_repository* repo, size_t cache_bytes) {
  namespace fs = std::filesystem;
  auto reader = std::make_unique<Reader>(cache_bytes);
  std::error_code ec;
  const fs::path dir = fs::path(git_repository_commondir(repo)) / "objects" / "pack";
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".idx") continue;
    auto pack = std::make_unique<Pack>();
    fs::path pack_path = it->path();
    pack_path.replace_extension(".pack");
    if (reader->packs.size() < 0x10000 && pack->open(it->path().string(), pack_path.string()))
      reader->packs.push_back(std::move(pack));  // (a cache key holds the pack's number in 16 bits)
  }
  if (reader->packs.empty()) return nullptr;
  reader->stats.packs = reader->packs.size();
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) < 0) return nullptr;
  auto* backend = new Backend{};
  git_odb_init_backend(&backend->parent, GIT_ODB_BACKEND_VERSION);
  backend->parent.read = backend_read;
  backend->parent.free = backend_free;
  backend->reader = reader.release();
  const PackReaderStats* stats = &backend->reader->stats;
  // Above libgit2's own pack (2) and loose (1) backends, so packed objects come from here.
  const int rc = git_odb_add_backend(odb, &backend->parent, 10);
  git_odb_free(odb);
  if (rc < 0) {
    backend_free(&backend->parent);
    return nullptr;
  }
  return stats;
}

}  // namespace firstmile
